// Limits that keep a hostile or broken resource file (--resources DIR) from costing unbounded time,
// memory or stack, and the plausible ranges of the numbers in the resources. docs/resources.md cites
// these names; every limit is reported as an Error with file:line:column, never as a crash.
#pragma once

#include <cstddef>
#include <cstdint>

namespace glyphsieve {

// ---- Size and shape of a resource file (checked before and while yaml-cpp parses it) ----

/// Largest resource file accepted, in bytes (1 MiB; the largest shipped file, the registry of 79
/// models, is 96 KB). Checked before any parsing; an override file is never read past this size.
/// It is also what bounds yaml-cpp's memory: its scanner holds a whole flow collection (`[...]`) as
/// tokens before reporting any of it, about 130 bytes per input byte (~140 MB for 1 MiB).
inline constexpr std::size_t kMaxResourceBytes = std::size_t{1} << 20;

/// Longest single YAML scalar (a key or a value), in bytes (64 KiB). The longest shipped one is a
/// regular expression of 527 bytes.
inline constexpr std::size_t kMaxScalarBytes = std::size_t{64} << 10;

/// Deepest nesting of YAML lists and mappings, aliases expanded (the shipped files use 4 levels;
/// a mapping holding a list holding a mapping is 3).
/// Checked before yaml-cpp's recursive node builder sees the file, so `[[[[...` cannot overflow the stack.
inline constexpr std::size_t kMaxYamlDepth = 64;

/// Most YAML nodes (scalars, keys included, lists, mappings) a resource may hold once every alias is
/// expanded. Stops "billion laughs" alias bombs at the offending alias, and bounds yaml-cpp's node tree
/// (about 500 bytes a node: 250,000 nodes is ~120 MB). The shipped registry has 5,897 nodes.
inline constexpr std::uint64_t kMaxYamlNodes = 250'000;

// ---- Plausible ranges of gpu_registry.yaml numbers (inclusive) ----

inline constexpr double kMinVramGb = 0.5;                   ///< `vram_gb` lower bound
inline constexpr double kMaxVramGb = 1024;                  ///< `vram_gb` upper bound
inline constexpr int kMaxTdpWatts = 3000;                   ///< `tdp_watts` in [1, this]
inline constexpr int kMaxMigInstances = 7;                  ///< `mig_support` in [0, this] (NVIDIA's maximum)
inline constexpr double kMaxMemoryBandwidthGbps = 100'000;  ///< `memory_bandwidth_gbps` in [1, this]
inline constexpr double kMaxFp16Tflops = 100'000;           ///< `fp16_tflops` in [0, this]

}  // namespace glyphsieve
