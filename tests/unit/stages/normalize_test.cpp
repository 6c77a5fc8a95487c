// normalize: each trap the Python prototype fell into is a test, plus fuzzy and bundle rules.
#include "glyphsieve/stages/normalize.hpp"

#include <gtest/gtest.h>

#include "glyphsieve/resources/context.hpp"
#include "run_in_memory.hpp"

namespace glyphsieve {
namespace {

class NormalizeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ctx_ = new ResourceContext();
    matcher_ = new Matcher(ctx_->registry(), ctx_->model_patterns(), 80);
  }
  static void TearDownTestSuite() {
    delete matcher_;
    delete ctx_;
  }
  static MatchResult m(const std::string& title) { return matcher_->match(title); }
  static std::string model(const std::string& title) { return m(title).canonical_model; }
  static ResourceContext* ctx_;
  static Matcher* matcher_;
};
ResourceContext* NormalizeTest::ctx_ = nullptr;
Matcher* NormalizeTest::matcher_ = nullptr;

// Prototype bug: "RX 7600 XT" became an RTX 6000 Ada.
TEST_F(NormalizeTest, Rx7600XtIsNotAnRtx6000Ada) {
  EXPECT_EQ(model("AMD Radeon RX 7600 XT 16GB GDDR6"), "Radeon RX 7600 XT");
  EXPECT_EQ(model("Sapphire Pulse RX7600XT 16G"), "Radeon RX 7600 XT");
  EXPECT_EQ(model("ASRock Radeon RX 7600 Challenger 8GB"), "Radeon RX 7600");
}

// Prototype bug: "Tesla A100 80GB" became an A1000.
TEST_F(NormalizeTest, TeslaA100With80GbIsTheA100_80GB) {
  EXPECT_EQ(model("Tesla A100 80GB"), "A100 PCIe 80GB");
  EXPECT_EQ(model("NVIDIA A100 40GB PCIe"), "A100 PCIe 40GB");
  EXPECT_EQ(model("NVIDIA A100 SXM4 80GB"), "A100 SXM4 80GB");
  EXPECT_EQ(model("NVIDIA RTX A1000 8GB"), "RTX A1000");
  EXPECT_EQ(model("NVIDIA A10 24GB Tensor Core GPU"), "A10");
}

// Prototype bug: "RTX 4500 Ada" became an RTX 5000 Ada.
TEST_F(NormalizeTest, Rtx4500AdaIsNotAnRtx5000Ada) {
  EXPECT_EQ(model("NVIDIA RTX 4500 Ada Generation 24GB"), "RTX 4500 Ada");
  EXPECT_EQ(model("PNY RTX 5000 Ada Generation 32GB"), "RTX 5000 Ada");
  EXPECT_EQ(model("NVIDIA RTX A4500 20GB"), "RTX A4500");
}

// Prototype bug: NVLink bridges counted as GPUs.
TEST_F(NormalizeTest, NvlinkBridgesAreNotGpus) {
  const MatchResult r = m("NVIDIA NVLink Bridge 2-Slot for RTX A6000");
  EXPECT_FALSE(r.is_valid_gpu);
  EXPECT_EQ(r.canonical_model, "UNKNOWN");
  EXPECT_NE(r.unknown_reason.find("non-GPU"), std::string::npos);
  const MatchResult b = m("2x RTX 3090 24GB + NVLink Bridge");
  EXPECT_TRUE(b.is_valid_gpu);
  EXPECT_EQ(b.canonical_model, "GeForce RTX 3090");
  EXPECT_EQ(b.gpu_count, 2);
}

TEST_F(NormalizeTest, MemoryStatedSelectsTheVariant) {
  EXPECT_EQ(model("NVIDIA Tesla V100 32GB PCIe"), "Tesla V100 PCIe 32GB");
  EXPECT_EQ(model("NVIDIA Tesla V100 16GB SXM2"), "Tesla V100 SXM2 16GB");
  EXPECT_EQ(model("MSI GeForce RTX 3060 Ventus 2X 8G OC"), "GeForce RTX 3060 8GB");
  EXPECT_EQ(model("Gigabyte RTX 4060 Ti Gaming OC 16G"), "GeForce RTX 4060 Ti 16GB");
}

TEST_F(NormalizeTest, AllVendorsMap) {
  EXPECT_EQ(model("AMD Instinct MI300X 192GB OAM"), "Instinct MI300X");
  EXPECT_EQ(model("Intel Arc B580 Limited Edition 12GB"), "Arc B580");
  EXPECT_EQ(model("PNY NVIDIA RTX A6000 48GB GDDR6 VCNRTXA6000-PB"), "RTX A6000");
}

TEST_F(NormalizeTest, AbbreviationsAndEntities) {
  EXPECT_EQ(model("NV GF RTX 3090 24GB"), "GeForce RTX 3090");
  EXPECT_EQ(model("NVIDIA&reg; GeForce RTX&trade; 4080 SUPER 16GB"), "GeForce RTX 4080 Super");
}

TEST_F(NormalizeTest, AmbiguousSaysUnknownRatherThanGuess) {
  const MatchResult r = m("NVIDIA RTX 6000");
  EXPECT_EQ(r.canonical_model, "UNKNOWN");
  EXPECT_TRUE(r.is_valid_gpu);
  EXPECT_EQ(model("NVIDIA RTX 6000 48GB"), "RTX 6000 Ada");
  EXPECT_EQ(model("NVIDIA Quadro RTX 6000 24GB"), "Quadro RTX 6000");
}

TEST_F(NormalizeTest, BundleCounts) {
  EXPECT_EQ(m("2x NVIDIA RTX 3090 24GB").gpu_count, 2);
  EXPECT_EQ(m("Lot of 4 NVIDIA Tesla P40 24GB").gpu_count, 4);
  EXPECT_EQ(m("RTX 4090 24GB PCIe 4.0 x16").gpu_count, 1);
  EXPECT_EQ(m("NVIDIA A2 16GB PCIe 4.0 x8").gpu_count, 1);
  EXPECT_EQ(m("NVIDIA DGX A100 640GB").gpu_count, 8);
  EXPECT_EQ(model("NVIDIA DGX A100 640GB"), "A100 SXM4 80GB");
  EXPECT_EQ(m("A100 SXM4 40GB pulled from DGX A100").gpu_count, 1);
}

// Found by the holdout set: a model the title says it is NOT, or compares itself with, is not picked.
TEST_F(NormalizeTest, NegatedAndComparedModelsAreIgnored) {
  EXPECT_EQ(model("NVIDIA L4 Tensor Core GPU 24GB low-profile (not L40)"), "L4");
  EXPECT_EQ(model("NVIDIA A40 48GB (not A4000) passive"), "A40");
  EXPECT_EQ(model("NVIDIA RTX 6000 Ada 48GB GDDR6 ECC - upgrade from RTX A6000"), "RTX 6000 Ada");
  EXPECT_EQ(model("NVIDIA GeForce RTX 4060 Ti 16GB (not 8GB!) MSI Gaming X"), "GeForce RTX 4060 Ti 16GB");
}

TEST_F(NormalizeTest, TheVendorNamedInTheTitleMustMatch) {
  const MatchResult r = m("Intel Arc Pro A40 6GB single slot low profile");
  EXPECT_EQ(r.canonical_model, "UNKNOWN");  // not the NVIDIA A40
  EXPECT_TRUE(r.is_valid_gpu);
  EXPECT_EQ(model("Supermicro 4U Intel Xeon server with 4x NVIDIA A100 80GB PCIe"), "A100 PCIe 80GB");
  EXPECT_EQ(model("Dell R750xa AMD EPYC 4x A100 80GB PCIe"), "A100 PCIe 80GB");  // CPU brands do not count
}

TEST_F(NormalizeTest, BareNamesOfCommonVariantsAreAmbiguous) {
  for (const char* t : {"NVIDIA Tesla V100 GPU accelerator", "RTX 4060 Ti graphics card", "AMD MI50 accelerator card",
                        "Intel Arc A770 graphics card - tested", "NVIDIA A100 Tensor Core GPU"}) {
    const MatchResult r = m(t);
    EXPECT_EQ(r.canonical_model, "UNKNOWN") << t;
    EXPECT_NE(r.unknown_reason.find("ambiguous"), std::string::npos) << t;
    EXPECT_TRUE(r.is_valid_gpu) << t;
  }
  EXPECT_EQ(model("MSI GeForce RTX 3060 Ventus 2X OC"), "GeForce RTX 3060 12GB");  // the 8 GB card is always labelled
  EXPECT_EQ(model("Carte graphique Intel Arc A770 16 Go"), "Arc A770 16GB");       // French "Go" is GB
}

TEST_F(NormalizeTest, ProductNamesAreNotBundlesOrAccessories) {
  EXPECT_EQ(m("ASUS TUF Gaming GeForce RTX 4090 OC 24GB GDDR6X Graphics Card").gpu_count, 1);
  EXPECT_EQ(m("Inno3D GeForce RTX 4070 SUPER Twin X2 12GB").gpu_count, 1);
  EXPECT_EQ(m("NVIDIA RTX A1000 8GB 4x mDP Small Form Factor").gpu_count, 1);
  EXPECT_EQ(m("NVIDIA Tesla K80 24GB GDDR5 (2x GK210)").gpu_count, 1);
  EXPECT_EQ(m("RTX 4090 x4 - Gigabyte WINDFORCE V2 24GB - bulk lot").gpu_count, 4);
  EXPECT_EQ(m("Quantity 2 cards: MSI RTX 4080 SUPER 16G EXPERT").gpu_count, 2);
  EXPECT_EQ(m("HGX H200 8x141GB SXM5 board").gpu_count, 8);
  EXPECT_FALSE(m("Sapphire Nitro+ RX 7900 XTX replacement fan set").is_valid_gpu);
  EXPECT_TRUE(m("Tesla P40 24GB + cooling fan shroud kit").is_valid_gpu);
}

TEST_F(NormalizeTest, NonGpuItems) {
  for (const char* t :
       {"PCIe 4.0 x16 Riser Cable 20cm", "ASUS ROG Strix G16 Gaming Laptop RTX 4070",
        "Dell PowerEdge R750 2U Server 2x Xeon 256GB RAM", "Corsair RM1000x 1000W PSU with 12V-2x6 cable for RTX 4090",
        "Elgato 4K60 Pro MK.2 Capture Card", "AMD Ryzen 7 5700G with Radeon Graphics"}) {
    EXPECT_FALSE(m(t).is_valid_gpu) << t;
  }
}

TEST_F(NormalizeTest, UnknownGpuIsValidButUnknown) {
  const MatchResult r = m("EVGA GeForce GTX 1080 8GB");
  EXPECT_EQ(r.canonical_model, "UNKNOWN");
  EXPECT_EQ(r.match_type, "none");
  EXPECT_EQ(r.score, 0);
  EXPECT_TRUE(r.is_valid_gpu);
  EXPECT_EQ(m("").unknown_reason, "empty title");
}

TEST_F(NormalizeTest, ExactAndRegexMatchTypes) {
  EXPECT_EQ(m("RTX A6000").match_type, "exact");
  EXPECT_EQ(m("RTX A6000").score, 1.0);
  EXPECT_EQ(m("Brand new PNY RTX A6000 48GB").match_type, "regex");
}

// A hostile multi-megabyte title is matched on its first kMaxMatchedTitleBytes only (it cost seconds
// of pattern matching per row); the cell itself is written unchanged.
TEST_F(NormalizeTest, HugeTitlesAreMatchedOnTheirFirstBytesAndKeptWhole) {
  const std::string head = "PNY NVIDIA RTX A6000 48GB ";
  const std::string tail = "RTX 4090 ";
  std::string huge = head + std::string(3u << 20, 'x') + tail;
  std::string csv = "title\n" + huge + "\n";
  const auto shared = std::make_shared<const Matcher>(ctx_->registry(), ctx_->model_patterns(), 80);
  const auto run = testing::run_stage(std::make_unique<NormalizeStage>(shared, false), csv);
  EXPECT_NE(run.out.find(huge + ",RTX A6000,"), std::string::npos);  // the tail is past the cut
  std::string cut_in_character = std::string(kMaxMatchedTitleBytes - 1, ' ') + "\xC3\xA9 RTX 4090";
  const auto run2 =
      testing::run_stage(std::make_unique<NormalizeStage>(shared, false), "title\n" + cut_in_character + "\n");
  EXPECT_NE(run2.out.find(",UNKNOWN,"), std::string::npos) << run2.out.substr(run2.out.size() - 80);
}

TEST(FuzzyDistance, BitParallelMatchesTheDefinition) {
  EXPECT_EQ(fuzzy_substring_distance("tesla", "nvidia tesla v 100"), 0);
  EXPECT_EQ(fuzzy_substring_distance("tesla", "nvidia telsa v 100"), 2);
  EXPECT_EQ(fuzzy_substring_distance("geforce", "gefroce rtx"), 2);
  EXPECT_EQ(fuzzy_substring_distance("abc", "xyz"), 3);
  EXPECT_EQ(fuzzy_substring_distance("quadro", "qudro"), 1);
}

TEST_F(NormalizeTest, LetterTyposInTheBrandDoNotMatter) {
  EXPECT_EQ(model("Nvidia Quadr0 RTX 8000 48GB"), "Quadro RTX 8000");
  EXPECT_EQ(model("NVIDIA Tesla 100 40GB PCIe"), "A100 PCIe 40GB");  // a real scrape title
}

// A tiny resource set whose only pattern never fires, so every identification below is fuzzy.
ResourceContext fuzzy_context() {
  return ResourceContext::from_strings({{"gpu_registry.yaml", R"(models:
  - id: Zorbax 9000
    family: Zorbax 9000
    vendor: AMD
    vram_gb: 16
    source: unit test
  - id: Zorbax 9000 XT
    family: Zorbax 9000 XT
    vendor: AMD
    vram_gb: 20
    source: unit test
)"},
                                        {"model_patterns.yaml", R"(gpu_words: '\bradeon\b'
families:
  - family: Zorbax 9000
    patterns: ['^never$']
    aliases: [radeon zorbax 9000]
  - family: Zorbax 9000 XT
    patterns: ['^never either$']
    aliases: [radeon zorbax 9000 xt]
)"}});
}

TEST(Fuzzy, ForgivesLetterTyposWithinTheConfidenceBar) {
  auto ctx = fuzzy_context();
  const Matcher matcher(ctx.registry(), ctx.model_patterns(), 80);
  const MatchResult r = matcher.match("Sapphire Radeon Zorbx 9000 16GB");
  EXPECT_EQ(r.canonical_model, "Zorbax 9000");
  EXPECT_EQ(r.match_type, "fuzzy");
  EXPECT_NEAR(r.score, 1.0 - 1.0 / 18.0, 1e-9);
  EXPECT_EQ(matcher.match("Radeon Zorbax 9000 XT").canonical_model, "Zorbax 9000 XT");
}

TEST(Fuzzy, NeverChangesANumberOrItsSuffix) {
  auto ctx = fuzzy_context();
  const Matcher matcher(ctx.registry(), ctx.model_patterns(), 80);
  EXPECT_EQ(matcher.match("Radeon Zorbax 9001").canonical_model, "UNKNOWN");
  EXPECT_EQ(matcher.match("Radeon Zorbax 9000 D").canonical_model, "UNKNOWN");
  // The number must be where the name is: digits in a part number elsewhere do not count.
  EXPECT_EQ(matcher.match("Radeon Zorbax 9100 part RZ-9000").canonical_model, "UNKNOWN");
}

TEST(Fuzzy, MinConfidenceIsHonoured) {
  auto ctx = fuzzy_context();
  const Matcher strict(ctx.registry(), ctx.model_patterns(), 97);
  const MatchResult r = strict.match("Sapphire Radeon Zorbx 9000 16GB");
  EXPECT_EQ(r.canonical_model, "UNKNOWN");
  EXPECT_NE(r.unknown_reason.find("low-confidence match to Zorbax 9000"), std::string::npos);
  EXPECT_TRUE(r.is_valid_gpu);
}

}  // namespace
}  // namespace glyphsieve
