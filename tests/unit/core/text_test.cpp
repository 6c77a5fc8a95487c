// Title normalization and header folding: the forms every pattern is written against.
#include "glyphsieve/core/text.hpp"

#include <gtest/gtest.h>

namespace glyphsieve {
namespace {

TEST(NormalizeTitle, SpecExamples) {
  EXPECT_EQ(normalize_title("PNY NVIDIA RTX A6000 48GB GDDR6 VCNRTXA6000-PB"),
            "pny nvidia rtx a 6000 48 gb gddr 6 vcnrtxa 6000 pb");
  EXPECT_EQ(normalize_title("NVIDIA Tesla A100 80GB PCIe"), "nvidia tesla a 100 80 gb pcie");
  EXPECT_EQ(normalize_title("AMD Radeon RX 7600 XT 16GB"), "amd radeon rx 7600 xt 16 gb");
  EXPECT_EQ(normalize_title("NVIDIA&reg; RTX&trade; 4500 Ada Generation"), "nvidia rtx 4500 ada generation");
  EXPECT_EQ(normalize_title("RTXPRO 6000 Blackwell"), "rtxpro 6000 blackwell");
}

TEST(NormalizeTitle, KeepsDecimalPointsAndPlus) {
  EXPECT_EQ(normalize_title("PCIe 4.0 x16"), "pcie 4.0 x 16");
  EXPECT_EQ(normalize_title("2x RTX 3090+NVLink"), "2 x rtx 3090 + nvlink");
  EXPECT_EQ(normalize_title("v1. end."), "v 1 end");
}

TEST(NormalizeTitle, NonAsciiAndEntitiesBecomeSpaces) {
  EXPECT_EQ(normalize_title("GeForce\u2122 RTX\u00AE 4090 \u2013 24 GB"), "geforce rtx 4090 24 gb");
  EXPECT_EQ(normalize_title("AMD Radeon&#8482; RX 7900&#x2122;XTX"), "amd radeon rx 7900 xtx");
  EXPECT_EQ(normalize_title("A &amp; B"), "a b");
}

TEST(NormalizeTitle, Synonyms) {
  const std::map<std::string, std::string> syn = {{"gf", "geforce"}, {"nv", "nvidia"}};
  EXPECT_EQ(normalize_title("NV GF RTX 3090", syn), "nvidia geforce rtx 3090");
}

TEST(FoldHeader, IgnoresCaseSpacingAndPunctuation) {
  EXPECT_EQ(fold_header("Price (USD)"), "priceusd");
  EXPECT_EQ(fold_header("price_usd"), "priceusd");
  EXPECT_EQ(fold_header(" Listing  Title "), "listingtitle");
}

TEST(DecodeHtmlEntities, UnknownReferencesStay) {
  EXPECT_EQ(decode_html_entities("a &bogus; b &#65;"), "a &bogus; b A");
  EXPECT_EQ(decode_html_entities("R&D"), "R&D");
}

}  // namespace
}  // namespace glyphsieve
