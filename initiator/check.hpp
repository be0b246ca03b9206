#pragma once
// Internal consistency checks. Built into checked builds (AOEH_ENGINE_CHECKS: the tests and
// fuzzers link such a build) and debug builds; compiled out of optimised release builds.
#include <cstdio>
#include <cstdlib>

#if defined(AOEH_ENGINE_CHECKS) || !defined(NDEBUG)
#define AOEH_CHECK(cond, what)                                                   \
  do {                                                                           \
    if (!(cond)) {                                                               \
      std::fprintf(stderr, "aoeh engine check failed: %s (%s)\n", what, #cond);  \
      std::abort();                                                              \
    }                                                                            \
  } while (0)
#else
#define AOEH_CHECK(cond, what) \
  do {                         \
  } while (0)
#endif
