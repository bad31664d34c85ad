#include <stdio.h>
#include "retort.h"
int main(void) { printf("retort %s\n", retort_version()); return 0; }
