// Hostile and broken resource files (issue "reliability, hostile input"): each must end in one located
// glyphsieve::Error with exit code 1, never a crash, a hang, a yaml-cpp exception or a huge allocation.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/resources/context.hpp"
#include "glyphsieve/resources/limits.hpp"

namespace glyphsieve {
namespace {

const std::string kRegistry = R"(version: 1
models:
  - id: Test Card 24GB
    family: Test Card
    vendor: NVIDIA
    vram_gb: 24
    tdp_watts: 250
    source: "unit test"
)";

/// kRegistry with the first `from` replaced by `to`.
std::string registry_with(const std::string& from, const std::string& to) {
  std::string out = kRegistry;
  out.replace(out.find(from), from.size(), to);
  return out;
}

/// The rendered Error that decoding `text` as resource `name` throws; any other outcome fails the test.
std::string error_of(const std::string& name, const std::string& text) {
  auto ctx = ResourceContext::from_strings({{name, text}});
  const std::map<std::string, std::function<void()>> decode = {
      {"gpu_registry.yaml", [&] { ctx.registry(); }},
      {"currencies.yaml", [&] { ctx.currencies(); }},
      {"header_aliases.yaml", [&] { ctx.header_aliases(); }},
      {"model_patterns.yaml", [&] { ctx.model_patterns(); }},
      {"quantization_heuristic.yaml", [&] { ctx.quantization_heuristic(); }},
      {"scoring_weights.yaml", [&] { ctx.scoring(); }},
  };
  try {
    decode.at(name)();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kDataError) << e.what();
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a glyphsieve::Error: " << e.what();
    return std::string("other exception: ") + e.what();
  }
  return "(no error)";
}

std::string registry_error(const std::string& text) { return error_of("gpu_registry.yaml", text); }

// ---- 1. Wrong types ----

TEST(HostileYaml, WrongTypesNameWhatWasExpectedAndFound) {
  EXPECT_EQ(registry_error(registry_with("24\n", "lots\n")),
            "gpu_registry.yaml:6:14: key 'vram_gb': expected a number, got \"lots\"");
  EXPECT_EQ(registry_error(registry_with("24\n", "[24]\n")),
            "gpu_registry.yaml:6:14: key 'vram_gb': expected a single value, got a list");
  EXPECT_EQ(registry_error("version: 1\nmodels: {id: x}\n"),
            "gpu_registry.yaml:2:9: key 'models': expected a list, got a mapping");
  EXPECT_EQ(registry_error("version: 1\nmodels: [just a string]\n"),
            "gpu_registry.yaml:2:10: a registry model must be a mapping, got a single value");
  EXPECT_EQ(registry_error(kRegistry + "    aliases: {a: b}\n"),
            "gpu_registry.yaml:9:14: key 'aliases': expected a list, got a mapping");
  EXPECT_EQ(registry_error(kRegistry + "    nvlink: maybe\n"),
            "gpu_registry.yaml:9:13: key 'nvlink': expected true or false, got \"maybe\"");
  EXPECT_EQ(registry_error(registry_with("250", "250.5")),
            "gpu_registry.yaml:7:16: key 'tdp_watts': expected a whole number, got 250.5");
  EXPECT_EQ(registry_error("? [a]\n: 1\n"),
            "gpu_registry.yaml:1:3: a key in the registry must be a single value, got a list");
  EXPECT_EQ(error_of("quantization_heuristic.yaml", "overhead_gb: 1\nmodels:\n  7b: 1\ncapable: [1]\n"),
            "quantization_heuristic.yaml:4:10: capable thresholds must be a mapping, got a list");
  EXPECT_EQ(error_of("quantization_heuristic.yaml", "overhead_gb: 1\nmodels: []\n"),
            "quantization_heuristic.yaml:2:9: key 'models': expected a non-empty mapping of model sizes (e.g. 7b: "
            "3.5), got a list");
  EXPECT_EQ(error_of("model_patterns.yaml", "synonyms: [gf]\nfamilies: []\n"),
            "model_patterns.yaml:1:11: key 'synonyms': expected a mapping of token: replacement, got a list");
}

// ---- 2. Unknown keys ----

TEST(HostileYaml, UnknownKeysSuggestTheNearestOne) {
  EXPECT_EQ(registry_error(registry_with("tdp_watts", "tdp_wats")),
            "gpu_registry.yaml:7:5: key 'tdp_wats': unknown key in a registry model (did you mean 'tdp_watts'?)");
  EXPECT_EQ(error_of("scoring_weights.yaml", "weights:\n  vram: 1\nscales:\n  vram_ful_gb: 100\n"),
            "scoring_weights.yaml:4:3: key 'vram_ful_gb': unknown key in scales (did you mean 'vram_full_gb'?)");
  EXPECT_EQ(error_of("scoring_weights.yaml", "weights:\n  vrma: 1\n"),
            "scoring_weights.yaml:2:3: key 'vrma': unknown key in weights (did you mean 'vram'?)");
  EXPECT_EQ(registry_error("version: 1\nmodles: []\n"),
            "gpu_registry.yaml:2:1: key 'modles': unknown key in the registry (did you mean 'models'?)");
}

// ---- 3. Duplicate ids and aliases in the registry ----

TEST(HostileYaml, DuplicateModelIdNamesTheFirstOne) {
  const std::string twice = kRegistry + R"(  - id: Test Card 24GB
    family: Test Card
    vendor: NVIDIA
    vram_gb: 24
    source: "again"
)";
  EXPECT_EQ(registry_error(twice),
            "gpu_registry.yaml:9:9: key 'id': duplicate model id \"Test Card 24GB\" (first at line 3)");
}

TEST(HostileYaml, AliasSharedByTwoModelsIsRejected) {
  const std::string shared =
      registry_with("    source: \"unit test\"\n", "    source: \"unit test\"\n    aliases: [\"Test Card\"]\n") +
      R"(  - id: Test Card 48GB
    family: Test Card
    vendor: NVIDIA
    vram_gb: 48
    source: "unit test"
    aliases: ["other", "TEST-CARD"]
)";
  EXPECT_EQ(registry_error(shared),
            "gpu_registry.yaml:15:24: key 'aliases': alias \"TEST-CARD\" is also an alias of model \"Test Card 24GB\" "
            "(line 9)");
  EXPECT_EQ(registry_error(kRegistry + "    aliases: [a card, \"A Card\"]\n"),
            "gpu_registry.yaml:9:23: key 'aliases': alias \"A Card\" is listed twice (first at line 9)");
  EXPECT_EQ(registry_error(kRegistry + "    aliases: [\"--\"]\n"),
            "gpu_registry.yaml:9:15: key 'aliases': alias \"--\" has no letters or digits");
}

TEST(HostileYaml, DuplicateCurrencyIsRejected) {
  EXPECT_EQ(error_of("currencies.yaml", "currencies:\n  - code: USD\n  - code: USD\n"),
            "currencies.yaml:3:11: key 'code': duplicate currency \"USD\" (first at line 2)");
}

// ---- 4. Duplicate mapping keys, anywhere ----

TEST(HostileYaml, DuplicateKeyIsRejectedAtTheSecondOne) {
  EXPECT_EQ(registry_error(kRegistry + "    vram_gb: 24\n"),
            "gpu_registry.yaml:9:5: key 'vram_gb': duplicate key (first at line 6)");
  EXPECT_EQ(registry_error(kRegistry + "version: 1\n"),
            "gpu_registry.yaml:9:1: key 'version': duplicate key (first at line 1)");
  // Free-form mappings that no MapReader checks.
  EXPECT_EQ(error_of("model_patterns.yaml", "synonyms:\n  gf: geforce\n  gf: nvidia\nfamilies: []\n"),
            "model_patterns.yaml:3:3: key 'gf': duplicate key (first at line 2)");
  EXPECT_EQ(error_of("quantization_heuristic.yaml", "overhead_gb: 1\nmodels: {7b: 3.5, 13b: 6, 7b: 4}\n"),
            "quantization_heuristic.yaml:2:27: key '7b': duplicate key (first at line 2)");
  // Quoting does not make a different key.
  EXPECT_EQ(error_of("scoring_weights.yaml", "weights:\n  vram: 1\n  \"vram\": 2\n"),
            "scoring_weights.yaml:3:3: key 'vram': duplicate key (first at line 2)");
}

// ---- 5. Tabs ----

TEST(HostileYaml, TabIndentationSaysSo) {
  EXPECT_EQ(registry_error("version: 1\nmodels:\n\t- id: x\n"),
            "gpu_registry.yaml:3:1: invalid YAML: tab in indentation (YAML allows only spaces for indentation)");
  EXPECT_EQ(registry_error("version: 1\nmodels:\n  - id: x\n  \tvendor: NVIDIA\n"),
            "gpu_registry.yaml:4:3: invalid YAML: tab in indentation (YAML allows only spaces for indentation)");
  EXPECT_EQ(registry_error(registry_with("    tdp_watts", "\ttdp_watts")),
            "gpu_registry.yaml:7:1: invalid YAML: tab in indentation (YAML allows only spaces for indentation)");
  // A tab after the indentation is ordinary white space.
  auto ctx = ResourceContext::from_strings({{"gpu_registry.yaml", registry_with("vram_gb: 24", "vram_gb:\t24")}});
  EXPECT_EQ(ctx.registry().models.at(0).vram_gb, 24);
}

// ---- 6. Size limits ----

TEST(HostileYaml, FileOverTheSizeLimitIsRejectedBeforeParsing) {
  EXPECT_EQ(registry_error("version: 1\nsource: " + std::string(10u << 20, 'x') + "\n"),
            "gpu_registry.yaml: the file is larger than 1 MiB, the limit for a resource file");
  std::string padded = kRegistry;
  padded += std::string(kMaxResourceBytes - padded.size() + 1, '\n');
  EXPECT_EQ(registry_error(padded), "gpu_registry.yaml: the file is larger than 1 MiB, the limit for a resource file");
  padded.pop_back();  // exactly at the limit: accepted
  auto ctx = ResourceContext::from_strings({{"gpu_registry.yaml", padded}});
  EXPECT_EQ(ctx.registry().models.size(), 1u);
}

TEST(HostileYaml, LongScalarIsRejectedWhereItStarts) {
  EXPECT_EQ(registry_error(registry_with("unit test", std::string(kMaxScalarBytes + 1, 'x'))),
            "gpu_registry.yaml:8:13: key 'source': the value is 65537 bytes long, over the 64 KiB limit for one "
            "YAML scalar");
  // An explicit key ("? ") may be longer than the 1024 characters yaml-cpp allows a plain one.
  EXPECT_EQ(registry_error("version: 1\n? " + std::string(kMaxScalarBytes + 1, 'k') + "\n: 1\n"),
            "gpu_registry.yaml:2:3: a key is 65537 bytes long, over the 64 KiB limit for one YAML scalar");
  // A scalar at the limit passes the gate (and then fails as an unknown key, as it should).
  EXPECT_NE(registry_error("version: 1\n? " + std::string(kMaxScalarBytes, 'k') + "\n: 1\n").find("unknown key"),
            std::string::npos);
}

TEST(HostileYaml, HugeOrSpecialOverrideFilesAreNotReadWhole) {
  const auto dir = std::filesystem::temp_directory_path() / "glyphsieve_hostile_yaml_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "gpu_registry.yaml", std::ios::binary);
    const std::string block(1 << 20, '#');
    for (int i = 0; i < 8; ++i) out << block;  // 8 MiB
  }
  ResourceContext ctx(dir);
  const std::string path = (dir / "gpu_registry.yaml").string();
  try {
    ctx.registry();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": the file is larger than 1 MiB, the limit for a resource file");
  }
  std::filesystem::remove(dir / "gpu_registry.yaml");
  std::filesystem::create_directory(dir / "gpu_registry.yaml");  // a directory where a file should be
  try {
    ResourceContext bad(dir);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "resource '" + path + "' is not a regular file");
    EXPECT_EQ(e.code(), ExitCode::kDataError);
  }
  std::filesystem::remove_all(dir);
}

// ---- 7. Alias bombs and deep nesting ----

/// "Billion laughs": nine levels, each a list of ten aliases of the one before (10^9 nodes expanded).
std::string billion_laughs() {
  std::string text = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    text += std::string{c} + ": &" + c + " [";
    for (int k = 0; k < 10; ++k) text += std::string(k ? ",*" : "*") + static_cast<char>(c - 1);
    text += "]\n";
  }
  return text;
}

TEST(HostileYaml, BillionLaughsStopsAtTheAliasThatPassesTheLimit) {
  // Expanded sizes: a 11, b 111, c 1111, d 11111, e 111111 nodes; the second *e in f passes 250,000.
  EXPECT_EQ(registry_error(billion_laughs()),
            "gpu_registry.yaml:6:11: key 'f': alias expansion too large (a 'billion laughs' file?): more than "
            "250000 nodes");
}

TEST(HostileYaml, AliasesWithinTheLimitStillWork) {
  const std::string text = R"(version: 1
models:
  - &card
    id: Test Card 24GB
    family: Test Card
    vendor: NVIDIA
    vram_gb: 24
    source: "unit test"
    uncertain: &fields [tdp_watts]
  - id: Test Card 48GB
    family: Test Card
    vendor: NVIDIA
    vram_gb: 48
    source: "unit test"
    uncertain: *fields
)";
  auto ctx = ResourceContext::from_strings({{"gpu_registry.yaml", text}});
  ASSERT_EQ(ctx.registry().models.size(), 2u);
  EXPECT_EQ(ctx.registry().models[1].uncertain, std::vector<std::string>{"tdp_watts"});
}

TEST(HostileYaml, AliasInsideItsOwnAnchorIsRejected) {
  EXPECT_EQ(registry_error("version: 1\nmodels: &m [*m]\n"),
            "gpu_registry.yaml:2:13: key 'models': an alias inside its own anchor would make an endless structure");
}

TEST(HostileYaml, UndefinedAliasIsASyntaxError) {
  EXPECT_EQ(registry_error("version: 1\nmodels: *nowhere\n"),
            "gpu_registry.yaml:2:9: invalid YAML: the referenced anchor is not defined");
}

TEST(HostileYaml, TooManyNodesWithoutAliases) {
  std::string text = "version: 1\nmodels: [";
  for (std::uint64_t i = 0; i <= kMaxYamlNodes; ++i) text += "1,";
  text += "1]\n";
  const std::string msg = registry_error(text);
  EXPECT_EQ(msg.substr(msg.find(": ")), ": key 'models': more than 250000 YAML nodes") << msg;
  EXPECT_EQ(msg.substr(0, 20), "gpu_registry.yaml:2:");
}

TEST(HostileYaml, DeepNestingDoesNotOverflowTheStack) {
  // 100,000 unclosed brackets: yaml-cpp reads "[[" as a list holding a one-pair mapping, so the
  // 65th level is the 33rd bracket.
  EXPECT_EQ(registry_error(std::string(100000, '[')), "gpu_registry.yaml:1:33: nesting deeper than 64 levels");
  EXPECT_EQ(registry_error(std::string(100000, '[') + std::string(100000, ']')),
            "gpu_registry.yaml:1:65: nesting deeper than 64 levels");
  std::string dashes;
  for (int i = 0; i < 100000; ++i) dashes += "- ";
  EXPECT_EQ(registry_error(dashes + "x\n"), "gpu_registry.yaml:1:129: nesting deeper than 64 levels");
  std::string braces = "version: 1\nmodels: ";
  for (int i = 0; i < 100000; ++i) braces += "{a: ";
  EXPECT_EQ(registry_error(braces), "gpu_registry.yaml:2:261: key 'a': nesting deeper than 64 levels");
  // 64 levels are allowed (and then fail on content).
  EXPECT_EQ(registry_error(std::string(64, '[') + std::string(64, ']')),
            "gpu_registry.yaml:1:1: the registry must be a mapping, got a list");
}

TEST(HostileYaml, DepthCountsThroughAliases) {
  std::string text = "a: &deep " + std::string(40, '[') + std::string(40, ']') + "\nb: " + std::string(30, '[') +
                     "*deep" + std::string(30, ']') + "\n";
  EXPECT_EQ(registry_error(text),
            "gpu_registry.yaml:2:34: key 'b': nesting deeper than 64 levels once aliases are expanded");
}

// ---- 8. Numeric ranges and non-finite numbers ----

TEST(HostileYaml, RegistryNumbersOutOfRange) {
  EXPECT_EQ(registry_error(registry_with("24\n", "0\n")),
            "gpu_registry.yaml:6:14: key 'vram_gb': 0 is out of range [0.5, 1024]");
  EXPECT_EQ(registry_error(registry_with("24\n", "-8\n")),
            "gpu_registry.yaml:6:14: key 'vram_gb': -8 is out of range [0.5, 1024]");
  EXPECT_EQ(registry_error(registry_with("24\n", "2048\n")),
            "gpu_registry.yaml:6:14: key 'vram_gb': 2048 is out of range [0.5, 1024]");
  EXPECT_EQ(registry_error(registry_with("250", "0")),
            "gpu_registry.yaml:7:16: key 'tdp_watts': 0 is out of range [1, 3000]");
  EXPECT_EQ(registry_error(registry_with("250", "-5")),
            "gpu_registry.yaml:7:16: key 'tdp_watts': -5 is out of range [1, 3000]");
  EXPECT_EQ(registry_error(registry_with("250", "5000")),
            "gpu_registry.yaml:7:16: key 'tdp_watts': 5000 is out of range [1, 3000]");
  EXPECT_EQ(registry_error(kRegistry + "    mig_support: -1\n"),
            "gpu_registry.yaml:9:18: key 'mig_support': -1 is out of range [0, 7]");
  EXPECT_EQ(registry_error(kRegistry + "    mig_support: 8\n"),
            "gpu_registry.yaml:9:18: key 'mig_support': 8 is out of range [0, 7]");
  EXPECT_EQ(registry_error(kRegistry + "    memory_bandwidth_gbps: -1\n"),
            "gpu_registry.yaml:9:28: key 'memory_bandwidth_gbps': -1 is out of range [1, 100000]");
  EXPECT_EQ(registry_error(kRegistry + "    fp16_tflops: -0.5\n"),
            "gpu_registry.yaml:9:18: key 'fp16_tflops': -0.5 is out of range [0, 100000]");
}

TEST(HostileYaml, NanAndInfinityAreRejectedEverywhere) {
  for (const std::string bad : {".nan", ".NaN", ".inf", "-.Inf", "+.INF", "nan", "inf", "-infinity", "1e999"}) {
    EXPECT_EQ(registry_error(registry_with("24\n", bad + "\n")),
              "gpu_registry.yaml:6:14: key 'vram_gb': expected a finite number, got \"" + bad + "\"");
  }
  EXPECT_EQ(error_of("currencies.yaml", "currencies:\n  - code: USD\n    usd_rate: .inf\n"),
            "currencies.yaml:3:15: key 'usd_rate': expected a finite number, got \".inf\"");
  EXPECT_EQ(error_of("scoring_weights.yaml", "weights:\n  vram: .nan\n"),
            "scoring_weights.yaml:2:9: key 'vram': expected a finite number, got \".nan\"");
  EXPECT_EQ(error_of("scoring_weights.yaml", "weights:\n  vram: 1\nscales:\n  tdp_half_watts: .inf\n"),
            "scoring_weights.yaml:4:19: key 'tdp_half_watts': expected a finite number, got \".inf\"");
  EXPECT_EQ(error_of("quantization_heuristic.yaml", "overhead_gb: .nan\nmodels:\n  7b: 1\n"),
            "quantization_heuristic.yaml:1:14: key 'overhead_gb': expected a finite number, got \".nan\"");
  EXPECT_EQ(error_of("quantization_heuristic.yaml", "overhead_gb: 1\nmodels:\n  7b: .inf\n"),
            "quantization_heuristic.yaml:3:7: key '7b': expected a finite number, got \".inf\"");
  EXPECT_EQ(
      error_of("quantization_heuristic.yaml", "overhead_gb: 1\nmodels:\n  7b: 1\ncapable:\n  min_vram_gb: .inf\n"),
      "quantization_heuristic.yaml:5:16: key 'min_vram_gb': expected a finite number, got \".inf\"");
}

TEST(HostileYaml, OtherResourcesNumbersOutOfRange) {
  EXPECT_EQ(error_of("currencies.yaml", "currencies:\n  - code: USD\n    usd_rate: 0\n"),
            "currencies.yaml:3:15: key 'usd_rate': 0 is out of range [1e-09, 1000000000]");
  EXPECT_EQ(error_of("currencies.yaml", "currencies:\n  - code: USD\n    usd_rate: -1.1\n"),
            "currencies.yaml:3:15: key 'usd_rate': -1.1 is out of range [1e-09, 1000000000]");
  EXPECT_EQ(error_of("scoring_weights.yaml", "weights:\n  vram: -1\n"),
            "scoring_weights.yaml:2:9: key 'vram': -1 is out of range [0, 1000000]");
  EXPECT_EQ(error_of("scoring_weights.yaml", "weights:\n  vram: 0\n"),
            "scoring_weights.yaml:2:3: key 'weights': at least one weight must be above 0");
  EXPECT_EQ(error_of("quantization_heuristic.yaml", "overhead_gb: -1\nmodels:\n  7b: 3.5\n"),
            "quantization_heuristic.yaml:1:14: key 'overhead_gb': -1 is out of range [0, 1024]");
  EXPECT_EQ(error_of("quantization_heuristic.yaml", "overhead_gb: 1\nmodels:\n  7b: 0\n"),
            "quantization_heuristic.yaml:3:7: key '7b': 0 is out of range [0.01, 4096]");
  EXPECT_EQ(
      error_of("quantization_heuristic.yaml", "overhead_gb: 1\nmodels:\n  7b: 1\ncapable:\n  min_mig_support: 9\n"),
      "quantization_heuristic.yaml:5:20: key 'min_mig_support': 9 is out of range [0, 7]");
}

// ---- 9. Empty, wrong top level, bad bytes, extra documents ----

TEST(HostileYaml, EmptyFilesAndWrongTopLevel) {
  EXPECT_EQ(registry_error(""), "gpu_registry.yaml:1:1: the file is empty: a resource must be a YAML mapping");
  EXPECT_EQ(registry_error("# only a comment\n\n"),
            "gpu_registry.yaml:1:1: the file is empty: a resource must be a YAML mapping");
  EXPECT_EQ(registry_error("---\n"), "gpu_registry.yaml:1:1: the file is empty: a resource must be a YAML mapping");
  EXPECT_EQ(registry_error("just some text\n"),
            "gpu_registry.yaml:1:1: the registry must be a mapping, got a single value");
  EXPECT_EQ(registry_error("- a\n- b\n"), "gpu_registry.yaml:1:1: the registry must be a mapping, got a list");
  EXPECT_EQ(error_of("currencies.yaml", "[USD]\n"), "currencies.yaml:1:1: currencies must be a mapping, got a list");
}

TEST(HostileYaml, BadBytesAreLocated) {
  EXPECT_EQ(registry_error(std::string("version: 1\nmo\0dels: []\n", 22)),
            "gpu_registry.yaml:2:3: NUL byte: a resource must be UTF-8 text (is this a binary file?)");
  EXPECT_EQ(registry_error("version: 1\nmodels: \xff\n"),
            "gpu_registry.yaml:2:9: invalid UTF-8 (byte 0xFF): a resource must be UTF-8 text");
  EXPECT_EQ(registry_error("version: 1\n# caf\xc3\n"),
            "gpu_registry.yaml:2:6: invalid UTF-8 (byte 0xC3): a resource must be UTF-8 text");  // truncated
  EXPECT_EQ(registry_error("version: 1\n# \xc0\xaf\n"),
            "gpu_registry.yaml:2:3: invalid UTF-8 (byte 0xC0): a resource must be UTF-8 text");  // overlong
  EXPECT_EQ(registry_error("version: 1\n# \xed\xa0\x80\n"),
            "gpu_registry.yaml:2:3: invalid UTF-8 (byte 0xED): a resource must be UTF-8 text");  // surrogate
  EXPECT_EQ(registry_error("version: 1\nmodels: \x1b[0m\n"),
            "gpu_registry.yaml:2:9: control character U+001B is not allowed in YAML");
  // UTF-16 (what some editors save as "Unicode") is caught at the first byte.
  EXPECT_EQ(registry_error(std::string("\xff\xfev\0", 4)),
            "gpu_registry.yaml:1:1: invalid UTF-8 (byte 0xFF): a resource must be UTF-8 text");
  // Columns count bytes, as yaml-cpp's do: "€" is three.
  EXPECT_EQ(registry_error("version: 1\n# €\xff\n"),
            "gpu_registry.yaml:2:6: invalid UTF-8 (byte 0xFF): a resource must be UTF-8 text");
}

TEST(HostileYaml, ValidUtf8AndCrlfAreFine) {
  std::string crlf;
  for (const char c : registry_with("unit test", "unit test ✓ €")) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto ctx = ResourceContext::from_strings({{"gpu_registry.yaml", "\xef\xbb\xbf" + crlf}});  // with a BOM
  ASSERT_EQ(ctx.registry().models.size(), 1u);
  EXPECT_EQ(ctx.registry().models[0].source, "unit test ✓ €");
}

TEST(HostileYaml, SecondDocumentIsRejected) {
  EXPECT_EQ(registry_error(kRegistry + "---\nversion: 1\n"),
            "gpu_registry.yaml:9:1: a resource holds one YAML document; a second one starts here");
}

TEST(HostileYaml, ShippedResourcesPassTheGate) {
  ResourceContext ctx;
  EXPECT_NO_THROW(ctx.registry());
  EXPECT_NO_THROW(ctx.header_aliases());
  EXPECT_NO_THROW(ctx.currencies());
  EXPECT_NO_THROW(ctx.model_patterns());
  EXPECT_NO_THROW(ctx.quantization_heuristic());
  EXPECT_NO_THROW(ctx.scoring());
}

}  // namespace
}  // namespace glyphsieve

namespace glyphsieve {
namespace {

// Found by fuzz_resource_loader: a required mapping key that is absent reached yaml-cpp as an invalid
// node and escaped as a raw YAML::InvalidNode with no location (tests/fuzz/corpus/fuzz_resource_loader/
// regression-*-without-*-key replay the original inputs).
TEST(HostileYaml, RegressionMissingRequiredMappingIsALocatedError) {
  EXPECT_EQ(error_of("scoring_weights.yaml", "version: 1\n"),
            "scoring_weights.yaml:1:1: key 'weights': missing required key in scoring weights");
  EXPECT_EQ(error_of("quantization_heuristic.yaml", "version: 1\noverhead_gb: 2\n"),
            "quantization_heuristic.yaml:1:1: key 'models': missing required key in the quantization heuristic");
}

}  // namespace
}  // namespace glyphsieve
