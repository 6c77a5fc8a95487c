// One rendering for every error: file:line:col, then the column or key, then the message.
#include "glyphsieve/core/error.hpp"

#include <gtest/gtest.h>

namespace glyphsieve {
namespace {

TEST(Error, RendersLocationAndField) {
  const Error e(ExitCode::kDataError, "cannot parse \"12,49O.00\" as a number", Location{"listings.csv", 17, 0, "price"});
  EXPECT_EQ(std::string(e.what()), "listings.csv:17: column 'price': cannot parse \"12,49O.00\" as a number");
  const Error y(ExitCode::kDataError, "unknown key", Location{"r.yaml", 3, 5, "vram"}, true);
  EXPECT_EQ(std::string(y.what()), "r.yaml:3:5: key 'vram': unknown key");
  EXPECT_EQ(std::string(Error(ExitCode::kUsage, "plain").what()), "plain");
}

TEST(Error, StdinIsNamed) {
  EXPECT_EQ(Location({"-", 2}).render(), "<stdin>:2: ");
}

TEST(Suggest, FindsTheNearestName) {
  EXPECT_EQ(suggest("vram", {"vram_gb", "vendor", "tdp_watts"}), "vram_gb");
  EXPECT_EQ(suggest("tdp_wats", {"vram_gb", "tdp_watts"}), "tdp_watts");
  EXPECT_EQ(suggest("zzzzzz", {"vram_gb", "tdp_watts"}), "");
}

}  // namespace
}  // namespace glyphsieve
