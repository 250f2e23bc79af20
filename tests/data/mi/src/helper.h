/* helper.h — a static inline used from two files: two breakpoint locations */
static inline int
helper (int x)
{
  int doubled = x * 2;
  return doubled + 1;
}
