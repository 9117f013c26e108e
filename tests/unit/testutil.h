/*
 * tests/unit/testutil.h — helpers shared by the Check suites.
 */
#ifndef TESTS_UNIT_TESTUTIL_H
#define TESTS_UNIT_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes hex (spaces ignored) into out and returns the byte count; a bad
 * digit or more than cap bytes fails the running test.
 */
size_t	tu_hex(const char *s, uint8_t *out, size_t cap);

#endif
