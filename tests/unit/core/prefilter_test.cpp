// The regex prefilter: which literals a pattern needs, the automaton that finds them, and the proof
// that the title matcher gives the same answers with and without it.
#include "glyphsieve/core/prefilter.hpp"

#include <gtest/gtest.h>

#include <csv.h>

#include <random>

#include <fmt/format.h>

#include "glyphsieve/resources/context.hpp"
#include "glyphsieve/stages/normalize.hpp"

namespace glyphsieve {
namespace {

using Literals = std::optional<std::vector<std::string>>;
using V = std::vector<std::string>;

TEST(RequiredLiterals, PlainRunsAndZeroWidthAssertions) {
  EXPECT_EQ(required_literals(R"((?<![a-z0-9])(?<![0-9] )k 80\b)"), Literals(V{"k 80"}));
  // A lookahead between two characters leaves them adjacent in the text.
  EXPECT_EQ(required_literals(R"(ab(?!c)de)"), Literals(V{"abde"}));
  EXPECT_EQ(required_literals(R"(^rtx 4090$)"), Literals(V{"rtx 4090"}));
  EXPECT_EQ(required_literals(R"(a\.b\+)"), Literals(V{"a.b+"}));
}

TEST(RequiredLiterals, AlternationsNeedEveryBranch) {
  EXPECT_EQ(required_literals(R"(\b(?:nvlink|nv link)\b)"), Literals(V{"nv link", "nvlink"}));
  EXPECT_EQ(required_literals(R"(\bpsu\b|\bpower supply\b)"), Literals(V{"power supply", "psu"}));
  // One branch without a literal makes the whole pattern unconstrained.
  EXPECT_EQ(required_literals(R"(abc|\d+)"), std::nullopt);
  EXPECT_EQ(required_literals(R"(x(?:abc|)y)"), std::nullopt);
}

TEST(RequiredLiterals, TheMostSelectivePartOfASequenceWins) {
  EXPECT_EQ(required_literals(R"(rtx (?:a|b) 4090 ti)"), Literals(V{" 4090 ti"}));
  EXPECT_EQ(required_literals(R"(ab[0-9]+(?:cdef|ghij))"), Literals(V{"cdef", "ghij"}));
  // Equally long: the model number is rarer in titles than the word.
  EXPECT_EQ(required_literals(R"(\bradeon (?:rx )?7600 xt\b)"), Literals(V{"7600 xt"}));
}

TEST(RequiredLiterals, OptionalPartsRequireNothing) {
  EXPECT_EQ(required_literals(R"(abcd?e)"), Literals(V{"abc"}));
  EXPECT_EQ(required_literals(R"(ab(?:cdef)?)"), Literals(V{"ab"}));
  EXPECT_EQ(required_literals(R"(ab(?:cdef){0,3})"), Literals(V{"ab"}));
  EXPECT_EQ(required_literals(R"(xyz+w)"), Literals(V{"xyz"}));  // z+: "xyz" then more z's
  EXPECT_EQ(required_literals(R"((?:abc)*)"), std::nullopt);
  EXPECT_EQ(required_literals(R"(a?b?)"), std::nullopt);
}

TEST(RequiredLiterals, WhatItDoesNotModelIsUnconstrained) {
  EXPECT_EQ(required_literals(R"((?i)abc)"), std::nullopt);
  EXPECT_EQ(required_literals(R"((abc)\1)"), std::nullopt);
  EXPECT_EQ(required_literals(R"(\x41bc)"), std::nullopt);
  EXPECT_EQ(required_literals(R"(\Qabc\E)"), std::nullopt);
  EXPECT_EQ(required_literals("caf\xc3\xa9"), std::nullopt);
  EXPECT_EQ(required_literals(R"(ab{x)"), std::nullopt);
  EXPECT_EQ(required_literals(R"(abc[def)"), std::nullopt);
  EXPECT_EQ(required_literals(R"((?:abc)"), std::nullopt);
  EXPECT_EQ(required_literals(R"(a)"), std::nullopt);  // one byte filters nothing
  EXPECT_EQ(required_literals(""), std::nullopt);
}

TEST(RequiredLiterals, ClassesAndNamedGroups) {
  // Equally selective runs: the first one is kept.
  EXPECT_EQ(required_literals(R"([]a-z[:digit:]]xy[^\]]zw)"), Literals(V{"xy"}));
  EXPECT_EQ(required_literals(R"((?<n>abc)d)"), Literals(V{"abc"}));
  EXPECT_EQ(required_literals(R"((?<=ab)cde)"), Literals(V{"cde"}));
}

TEST(RegexPrefilter, ReportsEveryRegexWhoseLiteralOccurs) {
  RegexPrefilter pf;
  const auto k80 = pf.add(R"(\bk 80\b)");
  const auto bridge = pf.add(R"(\b(?:nvlink|nv link)\b)");
  const auto link = pf.add(R"(link)");  // a suffix of another literal
  const auto free = pf.add(R"(\d+)");   // no requirement: always a candidate
  pf.build();
  RegexPrefilter::Hits h;
  pf.scan("tesla k 80 24 gb", h);
  EXPECT_TRUE(h.test(k80));
  EXPECT_FALSE(h.test(bridge));
  EXPECT_FALSE(h.test(link));
  EXPECT_TRUE(h.test(free));
  pf.scan("rtx nvlink bridge", h);
  EXPECT_FALSE(h.test(k80));
  EXPECT_TRUE(h.test(bridge));
  EXPECT_TRUE(h.test(link));
  pf.scan("", h);
  EXPECT_FALSE(h.test(k80));
  EXPECT_TRUE(h.test(free));
  pf.scan("k 8k 80", h);  // the match starts after a false start
  EXPECT_TRUE(h.test(k80));
}

// The shipped patterns stay fast: every family pattern has literals to be filtered by.
TEST(RegexPrefilter, EveryShippedFamilyPatternIsFiltered) {
  ResourceContext ctx;
  std::string unfiltered;
  for (const auto& f : ctx.model_patterns().families) {
    for (const auto& re : f.patterns) {
      if (!required_literals(re.pattern())) unfiltered += fmt::format("  {}: {}\n", f.name, re.pattern());
    }
  }
  EXPECT_EQ(unfiltered, "") << "these family patterns run on every title";
}

std::vector<std::string> labelled_titles() {
  std::vector<std::string> out;
  for (const char* name : {"labelled_titles.csv", "labelled_titles_holdout.csv", "labelled_titles_holdout2.csv"}) {
    io::CSVReader<1, io::trim_chars<' '>, io::double_quote_escape<',', '"'>> in(std::string(GLYPHSIEVE_SOURCE_DIR) +
                                                                                "/tests/data/" + name);
    in.read_header(io::ignore_extra_column, "title");
    std::string t;
    while (in.read_row(t)) out.push_back(t);
  }
  return out;
}

// Every registry name and family alias in sentences that exercise the non-GPU rules, the ignore
// spans, bundles and vendors, plus seeded single-character damage (the fuzzy path).
std::vector<std::string> synthetic_titles(ResourceContext& ctx) {
  std::vector<std::string> names;
  for (const auto& g : ctx.registry().models) {
    names.push_back(g.id);
    for (const auto& a : g.aliases) names.push_back(a);
  }
  for (const auto& f : ctx.model_patterns().families) {
    for (const auto& a : f.aliases) names.push_back(a);
  }
  const std::vector<std::string> templates = {"PNY {} 24GB GDDR6",
                                              "{} NVLink Bridge",
                                              "4x {} 80GB bundle",
                                              "L4 24GB (not {})",
                                              "Intel Arc {} 16GB",
                                              "AMD Radeon {}",
                                              "{} fan shroud 3D printed",
                                              "Gaming PC {} i7 12700 32GB RAM",
                                              "lot of 2 {} GPUs",
                                              "{}",
                                              "upgrade from {} to RTX 6000 Ada",
                                              "{} w/ riser cable"};
  std::vector<std::string> out;
  std::mt19937 rng(42);
  for (const auto& n : names) {
    for (const auto& t : templates) out.push_back(fmt::format(fmt::runtime(t), n));
    std::string damaged = n;
    if (!damaged.empty()) {
      const std::size_t at = rng() % damaged.size();
      switch (rng() % 3) {
        case 0:
          damaged.erase(at, 1);
          break;
        case 1:
          damaged.insert(at, 1, damaged[at]);
          break;
        default:
          damaged[at] = static_cast<char>('a' + rng() % 26);
          break;
      }
    }
    out.push_back("NVIDIA " + damaged + " 48GB");
  }
  return out;
}

TEST(RegexPrefilter, TheMatcherGivesTheSameAnswersWithoutIt) {
  ResourceContext ctx;
  const Matcher fast(ctx.registry(), ctx.model_patterns(), 80, true);
  const Matcher slow(ctx.registry(), ctx.model_patterns(), 80, false);
  std::vector<std::string> titles = labelled_titles();
  const auto more = synthetic_titles(ctx);
  titles.insert(titles.end(), more.begin(), more.end());
  ASSERT_GT(titles.size(), 3000u);
  int differ = 0;
  for (const auto& t : titles) {
    const MatchResult a = fast.match(t), b = slow.match(t);
    const bool same = a.canonical_model == b.canonical_model && a.match_type == b.match_type && a.score == b.score &&
                      a.is_valid_gpu == b.is_valid_gpu && a.unknown_reason == b.unknown_reason &&
                      a.gpu_count == b.gpu_count;
    if (!same && ++differ <= 10) {
      ADD_FAILURE() << fmt::format("\"{}\": with prefilter {} ({}), without {} ({})", t, a.canonical_model,
                                   a.unknown_reason, b.canonical_model, b.unknown_reason);
    }
  }
  EXPECT_EQ(differ, 0);
}

}  // namespace
}  // namespace glyphsieve
