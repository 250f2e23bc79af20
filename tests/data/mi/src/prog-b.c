/* prog-b.c — second user of helper () */
#include "helper.h"

int from_b (int x);

int
from_b (int x)
{
  return helper (x + 1);
}
