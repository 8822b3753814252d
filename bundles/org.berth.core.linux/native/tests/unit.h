/*
 * unit.h: what the unit tests of berth-helper share. They link the helper's own .c files (all but main.c)
 * and run as any user: nothing here needs root or starts a container (test-helper.sh does that).
 */
#ifndef BERTH_UNIT_H
#define BERTH_UNIT_H

#include "start.h"   /* first: it sets _GNU_SOURCE */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* ARGS("a", "b") -> 2, (char *[]){"a", "b", NULL}: an argc/argv pair as main() gets it */
#define ARGS(...) (int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)), (char *[]){__VA_ARGS__, NULL}

#endif
