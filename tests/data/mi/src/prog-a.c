/* prog-a.c — the userspace program the MI transcripts were recorded on */
#include <pthread.h>
#include <stdio.h>
#include "helper.h"

int from_b (int x);

static const char *greeting = "héllo wörld";
static int counter;

static void *
worker (void *arg)
{
  int id = *(int *) arg;
  counter += id;
  return NULL;
}

int
main (void)
{
  pthread_t threads[2];
  int ids[2] = { 1, 2 };
  int local = 41;

  local = helper (local) + from_b (local);
  for (int i = 0; i < 2; i++)
    pthread_create (&threads[i], NULL, worker, &ids[i]);
  for (int i = 0; i < 2; i++)
    pthread_join (threads[i], NULL);
  printf ("%s %d %d\n", greeting, local, counter);
  return 0;
}
