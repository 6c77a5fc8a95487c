// Acceptance on the real scrape files in ../shared/data (headers `Model`, `Price_USD`, no title):
// numeric prices and the right canonical model. Skipped when ../shared is not beside the checkout.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "glyphsieve/pipeline.hpp"
#include "glyphsieve/resources/context.hpp"
#include "glyphsieve/stages/clean.hpp"
#include "glyphsieve/stages/enrich.hpp"
#include "glyphsieve/stages/normalize.hpp"

namespace glyphsieve {
namespace {

namespace fs = std::filesystem;

// File-name SKU -> the models its listings may be (checked by hand: the H100 file also lists an
// H100 NVL, the RTX PRO 6000 file a Max-Q edition).
const std::map<std::string, std::set<std::string>> kExpected = {
    {"NVIDIA_A100", {"A100 PCIe 40GB"}},
    {"NVIDIA_A2", {"A2"}},
    {"NVIDIA_A40", {"A40"}},
    {"NVIDIA_A800", {"A800 40GB Active"}},
    {"NVIDIA_H100", {"H100 PCIe 80GB", "H100 NVL 94GB"}},
    {"NVIDIA_L4", {"L4"}},
    {"NVIDIA_RTX_4000_ADA_SFF", {"RTX 4000 SFF Ada"}},
    {"NVIDIA_RTX_A2000", {"RTX A2000 12GB"}},
    {"NVIDIA_RTX_A4000", {"RTX A4000"}},
    {"NVIDIA_RTX_A6000_AMPERE", {"RTX A6000"}},
    {"NVIDIA_RTX_PRO_6000_BLACKWELL", {"RTX PRO 6000 Blackwell Workstation", "RTX PRO 6000 Blackwell Max-Q"}},
    {"RTX_6000_ADA", {"RTX 6000 Ada"}},
};

TEST(SharedData, ScrapeFilesGetPricesAndModels) {
  const fs::path dir = fs::path(GLYPHSIEVE_SOURCE_DIR) / ".." / "shared" / "data";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no ../shared/data beside the checkout";
  ResourceContext ctx;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("scrape__")) continue;
    const std::string sku = name.substr(8, name.find("__", 8) - 8);
    const auto want = kExpected.find(sku);
    ASSERT_NE(want, kExpected.end()) << "no expectation for " << name;
    ++files;
    Pipeline p;
    p.add(std::make_unique<CleanStage>(ctx.header_aliases(), ctx.currencies()));
    p.add(std::make_unique<NormalizeStage>(ctx.registry(), ctx.model_patterns(), 80, false));
    p.add(std::make_unique<EnrichStage>(ctx.registry()));
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream out;
    CsvReader reader(in, name);
    RunStats stats;
    {
      CsvWriter writer(out);
      stats = p.run(reader, writer, RunOptions{});
    }
    EXPECT_EQ(stats.input_rows, stats.written) << name;
    std::istringstream back(out.str());
    CsvReader rows(back, name);
    Row header, row;
    ASSERT_TRUE(rows.next(header));
    Header h(header);
    const std::size_t price = *h.find("price"), raw = *h.find("price_raw"), model = *h.find("canonical_model"),
                      title = *h.find("title");
    int n = 0, right = 0;  // every row must be right
    while (rows.next(row)) {
      ++n;
      const bool has_digits = row[raw].find_first_of("123456789") != std::string::npos;
      if (has_digits) {
        EXPECT_FALSE(row[price].empty()) << name << ": " << row[raw];
        EXPECT_NO_THROW((void)std::stod(row[price])) << name << ": " << row[price];
      }
      if (want->second.count(row[model])) ++right;
      else ADD_FAILURE() << name << ": \"" << row[title] << "\" -> " << row[model] << ", expected " << *want->second.begin();
    }
    EXPECT_GT(n, 0) << name;
    EXPECT_EQ(right, n) << name;
  }
  EXPECT_GE(files, 10);
}

}  // namespace
}  // namespace glyphsieve
