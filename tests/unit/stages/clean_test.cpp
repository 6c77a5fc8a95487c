// clean stage: header mapping, title fallback, price columns, idempotency.
#include "glyphsieve/stages/clean.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/pipeline.hpp"
#include "glyphsieve/resources/context.hpp"
#include "run_in_memory.hpp"

namespace glyphsieve {
namespace {

std::string run_clean(ResourceContext& ctx, const std::string& csv, RunStats* stats = nullptr) {
  auto r = testing::run_stage(std::make_unique<CleanStage>(ctx.header_aliases(), ctx.currencies()), csv);
  if (stats) *stats = r.stats;
  return r.out;
}

TEST(CleanStage, MapsHeaderVariantsAndParsesPrices) {
  ResourceContext ctx;
  const std::string out = run_clean(ctx, "Model,Condition,Price_USD,Seller\nRTX A6000,New,\"$4,399.00\",Newegg\n");
  EXPECT_EQ(out,
            "model,condition,price,seller,title,currency,price_raw\n"
            "RTX A6000,New,4399.00,Newegg,RTX A6000,USD,\"$4,399.00\"\n");
}

TEST(CleanStage, HeaderSpellings) {
  ResourceContext ctx;
  for (const char* h : {"Model", "Model Name", "GPU Model", "MODEL_NAME"}) {
    const std::string out = run_clean(ctx, std::string(h) + "\nx\n");
    EXPECT_EQ(out.substr(0, out.find('\n')), "model,title") << h;
  }
  for (const char* h : {"Product", "Name", "Listing Title", "listing_title", "Title"}) {
    const std::string out = run_clean(ctx, std::string(h) + "\nx\n");
    EXPECT_EQ(out.substr(0, out.find('\n')), "title") << h;
  }
  for (const char* h : {"Price_USD", "Price (USD)", "Cost", "price"}) {
    const std::string out = run_clean(ctx, std::string("Title,") + h + "\nx,5\n");
    EXPECT_EQ(out.substr(0, out.find('\n')), "title,price,currency,price_raw") << h;
  }
}

TEST(CleanStage, HeaderCurrencyIsUsed) {
  ResourceContext ctx;
  const std::string out = run_clean(ctx, "title,Price (EUR)\nx,\"1.299,00\"\n");
  EXPECT_EQ(out, "title,price,currency,price_raw\nx,1299.00,EUR,\"1.299,00\"\n");
}

TEST(CleanStage, RunningTwiceGivesTheSameFile) {
  ResourceContext ctx;
  const std::string once = run_clean(ctx, "Listing Title,Price (USD),Notes\nRTX 4090,\"$1,599\",a\nA2,Quote,b\n");
  const std::string twice = run_clean(ctx, once);
  EXPECT_EQ(once, twice);
}

TEST(CleanStage, UnparseablePriceIsRejectedNotDropped) {
  ResourceContext ctx;
  RunStats stats;
  const std::string out = run_clean(ctx, "title,price\na,12\nb,12.49O.00\nc,Quote\n", &stats);
  EXPECT_EQ(stats.input_rows, 3);
  EXPECT_EQ(stats.written, 2);
  EXPECT_EQ(stats.rejected, 1);
  EXPECT_EQ(out, "title,price,currency,price_raw\na,12.00,USD,12\nc,,,Quote\n");
}

TEST(CleanStage, NeitherTitleNorModelIsAClearError) {
  ResourceContext ctx;
  try {
    run_clean(ctx, "price,seller\n1,x\n");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no title or model column (header has 'price', 'seller')"), std::string::npos);
  }
}

}  // namespace
}  // namespace glyphsieve
