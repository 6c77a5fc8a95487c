// Shared by the fuzz targets (tests/fuzz/fuzz_*.cpp) and replay_main.cpp: the libFuzzer entry point
// and the check that turns a broken invariant into a crash libFuzzer saves as a reproducer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

/// Runs one input; returns 0. Defined once per target. A crash, a sanitizer report, a failed
/// check() or an exception escaping is a finding; glyphsieve::Error is caught where it is expected.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace glyphsieve::fuzz {

/// The input bytes as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Names the broken invariant on stderr and traps (SIGILL), so both libFuzzer and the replay runner
/// report the input. Not assert(): it must fire in release builds too.
inline void check(bool ok, const char* invariant) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: invariant failed: %s\n", invariant);
  __builtin_trap();
}

}  // namespace glyphsieve::fuzz
