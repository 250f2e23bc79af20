/* tests/data/kernel-fake/init/main.c — the file the fake build "fails" in */
int start_kernel (void);
