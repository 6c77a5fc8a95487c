// ListingColumns: a CSV row becomes a typed EnrichedGPUListing, or a problem naming column and value.
#include "glyphsieve/heuristics/listing.hpp"

#include <gtest/gtest.h>

#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {

struct Parsed {
  EnrichedGPUListing listing;
  std::optional<std::string> problem;
};

Parsed parse(const std::vector<std::string>& header, const Row& row, bool read_capacity = true) {
  const ListingColumns columns(Header(header), read_capacity);
  Parsed p;
  p.problem = columns.parse(row, p.listing);
  return p;
}

TEST(ListingColumns, TypedFieldsFromAnEnrichedRow) {
  const Parsed p =
      parse({"title", "canonical_model", "is_valid_gpu", "gpu_count", "price", "currency", "vram_gb", "tdp_watts",
             "mig_support", "nvlink", "launch_year"},
            {"4x A100", "A100 PCIe 80GB", "true", "4", "40000.00", "USD", "80", "300", "7", "true", "2021"});
  ASSERT_FALSE(p.problem) << *p.problem;
  EXPECT_EQ(p.listing.canonical_model, "A100 PCIe 80GB");
  EXPECT_TRUE(p.listing.is_valid_gpu);
  EXPECT_EQ(p.listing.gpu_count, 4);
  EXPECT_EQ(p.listing.price, 40000.0);
  EXPECT_EQ(p.listing.vram_gb, 80.0);
  EXPECT_EQ(p.listing.tdp_watts, 300);
  EXPECT_EQ(p.listing.mig_support, 7);
  EXPECT_EQ(p.listing.nvlink, true);
  EXPECT_EQ(p.listing.launch_year, 2021);
  EXPECT_FALSE(p.listing.quantization_capacity);
}

TEST(ListingColumns, EmptyCellsAndAbsentColumnsAreUnknownNotZero) {
  const Parsed p = parse({"vram_gb", "tdp_watts"}, {"", " "});
  ASSERT_FALSE(p.problem);
  EXPECT_FALSE(p.listing.vram_gb);
  EXPECT_FALSE(p.listing.tdp_watts);
  EXPECT_FALSE(p.listing.mig_support);
  EXPECT_EQ(p.listing.gpu_count, 1);
  EXPECT_TRUE(p.listing.is_valid_gpu);
}

TEST(ListingColumns, BadCellsNameTheColumnAndTheValue) {
  EXPECT_EQ(parse({"vram_gb"}, {"48GB"}).problem, "column 'vram_gb': cannot parse \"48GB\" as a number from 0 to 4096");
  EXPECT_EQ(parse({"vram_gb"}, {"-8"}).problem, "column 'vram_gb': cannot parse \"-8\" as a number from 0 to 4096");
  EXPECT_EQ(parse({"vram_gb"}, {"nan"}).problem, "column 'vram_gb': cannot parse \"nan\" as a number from 0 to 4096");
  EXPECT_EQ(parse({"tdp_watts"}, {"300.5"}).problem,
            "column 'tdp_watts': cannot parse \"300.5\" as a whole number from 0 to 100000");
  EXPECT_EQ(parse({"gpu_count"}, {"0"}).problem,
            "column 'gpu_count': cannot parse \"0\" as a whole number from 1 to 1000000");
  EXPECT_EQ(parse({"nvlink"}, {"maybe"}).problem, "column 'nvlink': cannot parse \"maybe\" as true or false");
  EXPECT_TRUE(parse({"mig_support"}, {"lots"}).problem);
}

TEST(ListingColumns, SpreadsheetNumbersAndBooleanSpellings) {
  Parsed p = parse({"tdp_watts", "mig_support", "nvlink", "vram_gb"}, {"300.0", "TRUE", "No", "+24"});
  ASSERT_FALSE(p.problem) << *p.problem;
  EXPECT_EQ(p.listing.tdp_watts, 300);
  EXPECT_EQ(p.listing.mig_support, 1);
  EXPECT_EQ(p.listing.nvlink, false);
  EXPECT_EQ(p.listing.vram_gb, 24.0);
}

TEST(ListingColumns, CarriesTheCapacitySpecFromItsColumns) {
  const std::vector<std::string> header = {"vram_gb", "quantization_capacity", "quantization_capacity.7b",
                                           "quantization_capacity.13b", "quantization_capacity.70b"};
  Parsed p = parse(header, {"48", R"({"7b":13,"13b":7,"70b":1})", "13", "7", "1"});
  ASSERT_FALSE(p.problem);
  ASSERT_TRUE(p.listing.quantization_capacity);
  EXPECT_EQ(p.listing.quantization_capacity->to_json(), R"({"7b":13,"13b":7,"70b":1})");
  // Unknown capacity: no spec. A bad count: a problem, unless the columns are outputs (not read).
  EXPECT_FALSE(parse(header, {"", "", "", "", ""}).listing.quantization_capacity);
  EXPECT_TRUE(parse(header, {"48", "", "x", "7", "1"}).problem);
  EXPECT_FALSE(parse(header, {"48", "", "x", "7", "1"}, /*read_capacity=*/false).problem);
}

TEST(ListingColumns, RequireNamesTheMissingColumn) {
  const ListingColumns columns(Header({"vram_gb"}));
  EXPECT_NO_THROW(columns.require({"vram_gb"}, "score", ""));
  try {
    columns.require({"vram_gb", "tdp_watts"}, "quantization_capable", "(run 'glyphsieve enrich' first)");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "quantization_capable needs a 'tdp_watts' column (run 'glyphsieve enrich' first)");
  }
}

}  // namespace
}  // namespace glyphsieve
