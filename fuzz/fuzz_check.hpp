#pragma once
// FUZZ_CHECK(cond, what): a broken invariant prints what and the condition, then aborts, so that
// libFuzzer records the input as a crash. Messages are std::string-convertible.
#include <cstdio>
#include <cstdlib>
#include <string>

#define FUZZ_CHECK(cond, what)                                                                          \
  do {                                                                                                  \
    if (!(cond)) {                                                                                      \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  %s\n", __FILE__, __LINE__, #cond,         \
                   std::string(what).c_str());                                                          \
      std::abort();                                                                                     \
    }                                                                                                   \
  } while (0)
