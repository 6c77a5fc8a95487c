// The realistic memory model against the public anchors of issue 6 (llama.cpp's file sizes, the KV
// formula, the 24/48/80 GB cards) and the rules each term follows (GQA, MLA, sliding windows, MoE,
// tensor parallelism, MIG, KV dtypes). Every figure here is in quant-facts.md.
#include "glyphsieve/capacity/memory.hpp"

#include <gtest/gtest.h>

#include "glyphsieve/resources/context.hpp"

namespace glyphsieve {
namespace {

ResourceContext& res() {
  static ResourceContext ctx;
  return ctx;
}

const MemoryModel& model() {
  static const MemoryModel m(res().memory_model(), res().quant_types());
  return m;
}

Deployment deploy(const std::string& id, const std::string& quant = "Q4_K_M", std::int64_t context = 8192,
                  const std::string& kv = "f16") {
  Deployment d;
  d.model = res().model_catalog().find(id);
  EXPECT_NE(d.model, nullptr) << id;
  d.quant = res().quant_types().find(quant);
  EXPECT_NE(d.quant, nullptr) << quant;
  d.context = context;
  d.kv = *res().memory_model().kv_dtype(kv);
  return d;
}

Hardware card(double gib, std::int64_t count = 1) {
  Hardware hw;
  hw.memory_gib = gib;
  hw.gpu_count = count;
  return hw;
}

double gib(double bytes) { return bytes / kGiB; }

// ---------------------------------------------------------------- the anchors

TEST(MemoryModelAnchors, Llama31_8B_WeightsMatchLlamaCppFileSizes) {
  // llama.cpp tools/quantize/README.md: Llama-3.1-8B Q4_K_M 4.58 GiB, F16 14.96 GiB.
  EXPECT_NEAR(gib(MemoryModel::weight_bytes(deploy("llama-3.1-8b", "Q4_K_M"))), 4.58, 4.58 * 0.03);
  EXPECT_NEAR(gib(MemoryModel::weight_bytes(deploy("llama-3.1-8b", "F16"))), 14.96, 14.96 * 0.01);
}

TEST(MemoryModelAnchors, Llama31_8B_Fp16KvCacheIsOneGiBAt8kAnd16GiBAt128k) {
  EXPECT_DOUBLE_EQ(gib(MemoryModel::kv_bytes(deploy("llama-3.1-8b", "Q4_K_M", 8192))), 1.0);
  EXPECT_DOUBLE_EQ(gib(MemoryModel::kv_bytes(deploy("llama-3.1-8b", "Q4_K_M", 131072))), 16.0);
}

TEST(MemoryModelAnchors, Llama31_70B_Q4KM_At8k) {
  const Deployment d = deploy("llama-3.1-70b", "Q4_K_M", 8192);
  EXPECT_EQ(model().instances(d, card(48)), 0) << "a single 48 GB card cannot hold it";
  EXPECT_EQ(model().instances(d, card(80)), 1) << "an 80 GB card holds one instance, not two";
  MemoryBreakdown b;
  EXPECT_EQ(model().instances(d, card(48, 2), &b), 1) << "two 48 GB cards hold it as a tensor-parallel pair";
  EXPECT_EQ(b.tensor_parallel, 2);
  EXPECT_GT(b.tensor_parallel_overhead, 0);
}

TEST(MemoryModelAnchors, MixtralIsSizedByItsTotalParameters) {
  const Deployment d = deploy("mixtral-8x7b", "Q4_K_M");
  EXPECT_NEAR(d.model->params, 46.7e9, 0.01e9);
  EXPECT_DOUBLE_EQ(MemoryModel::weight_bytes(d), d.model->params * d.quant->bits_per_weight / 8);
  EXPECT_GT(gib(MemoryModel::weight_bytes(d)), 26.0);  // 46.7B x 4.89 bits, not 12.9B active x 4.89
  // Active parameters only make it faster: tokens/s reads the active share of the weights.
  Hardware hw = card(80);
  hw.bandwidth_gbps = 2000;
  Deployment dense = d;
  ModelSpec as_dense = *d.model;
  as_dense.active_params = as_dense.params;
  dense.model = &as_dense;
  EXPECT_GT(*MemoryModel::tokens_per_s(d, hw, 1), 2.5 * *MemoryModel::tokens_per_s(dense, hw, 1));
}

TEST(MemoryModelAnchors, A24GBCardHostsThree8BQ4KMInstancesAt8k) {
  EXPECT_EQ(model().instances(deploy("llama-3.1-8b", "Q4_K_M", 8192), card(24)), 3);
}

TEST(MemoryModelAnchors, EachTermIsReportedAndAddsUp) {
  const MemoryBreakdown b = model().breakdown(deploy("llama-3.1-8b"), 1, 24);
  EXPECT_NEAR(b.weights, 4.58, 0.02);
  EXPECT_DOUBLE_EQ(b.kv_cache, 1.0);
  // llama.cpp prints "CUDA0 compute buffer size = 258.50 MiB" for Llama-3-8B with flash attention.
  EXPECT_NEAR(b.compute_buffer * 1024, 258.5, 0.1);
  EXPECT_DOUBLE_EQ(b.runtime_reserve, res().memory_model().runtime_reserve_gib);
  EXPECT_EQ(b.tensor_parallel_overhead, 0);
  EXPECT_DOUBLE_EQ(b.usable, 24 * res().memory_model().usable_share);
  EXPECT_DOUBLE_EQ(b.per_instance(), b.weights + b.kv_cache + b.compute_buffer + b.runtime_reserve);
}

// ---------------------------------------------------------------- the KV cache

TEST(KvCache, GroupedQueryAttentionUsesTheKvHeads) {
  // Llama-2-13B has no GQA (40 KV heads): 800 KiB per token; Llama-2-70B has 8: 320 KiB.
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(deploy("llama-2-13b", "Q4_K_M", 1)), 819200);
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(deploy("llama-2-70b", "Q4_K_M", 1)), 327680);
}

TEST(KvCache, MlaStoresTheCompressedLatent) {
  // DeepSeek-V2-Lite: 27 layers x (512 + 64) x 2 bytes = 31,104 bytes per token, on every GPU.
  const Deployment d = deploy("deepseek-v2-lite", "Q4_K_M", 1);
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(d), 31104);
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(d, 2), 31104);
}

TEST(KvCache, SlidingWindowLayersStopGrowingAtTheWindow) {
  const Deployment short_ctx = deploy("gemma-2-9b", "Q4_K_M", 4096);
  const Deployment long_ctx = deploy("gemma-2-9b", "Q4_K_M", 8192);
  // 42 layers, 8 KV heads x 256: half the layers are windowed at 4096 tokens.
  const double per_token_layer = 2.0 * 8 * 256 * 2;
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(short_ctx), per_token_layer * 42 * 4096);
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(long_ctx), per_token_layer * (21 * 8192 + 21 * 4096));
}

TEST(KvCache, DtypeAndParallelSequencesScaleIt) {
  const double f16 = MemoryModel::kv_bytes(deploy("llama-3.1-8b", "Q4_K_M", 8192, "f16"));
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(deploy("llama-3.1-8b", "Q4_K_M", 8192, "q8_0")), f16 * 1.0625 / 2);
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(deploy("llama-3.1-8b", "Q4_K_M", 8192, "q4_0")), f16 * 0.5625 / 2);
  Deployment four = deploy("llama-3.1-8b");
  four.parallel = 4;
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(four), 4 * f16);
}

TEST(KvCache, TensorParallelSplitsKvHeadsButNeverBelowOnePerGpu) {
  const Deployment d = deploy("llama-3.1-8b");  // 8 KV heads
  const double whole = MemoryModel::kv_bytes(d);
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(d, 2), whole / 2);
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(d, 8), whole / 8);
  EXPECT_DOUBLE_EQ(MemoryModel::kv_bytes(d, 16), whole / 8);  // replicated: one head per GPU
}

// ---------------------------------------------------------------- weights

TEST(Weights, NonGgufFormatsKeepEmbeddingsIn16Bit) {
  // Llama-3.1-8B: 2 x 128256 x 4096 = 1.05B embedding/head parameters stay bf16 (about 2 GiB),
  // so a "4-bit" GPTQ 8B is 5.5-5.9 GiB, not 4.
  const double gptq = gib(MemoryModel::weight_bytes(deploy("llama-3.1-8b", "GPTQ-4bit-g128")));
  EXPECT_GT(gptq, 5.3);
  EXPECT_LT(gptq, 5.9);
}

TEST(Weights, AGgufFileUsesItsOwnSize) {
  ModelSpec m = *res().model_catalog().find("llama-3.1-8b");
  m.weight_bytes = 4.0 * kGiB;
  Deployment d;
  d.model = &m;
  EXPECT_DOUBLE_EQ(MemoryModel::weight_bytes(d), 4.0 * kGiB);
}

// ---------------------------------------------------------------- tensor parallelism

TEST(TensorParallel, SizesMustDivideTheAttentionHeads) {
  const ModelSpec& m = *res().model_catalog().find("llama-3.1-70b");  // 64 heads, 8 KV heads
  EXPECT_EQ(MemoryModel::tensor_parallel_sizes(m, 1), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(MemoryModel::tensor_parallel_sizes(m, 3), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(MemoryModel::tensor_parallel_sizes(m, 8), (std::vector<std::int64_t>{1, 2, 4, 8}));
  const ModelSpec& qwen = *res().model_catalog().find("qwen2.5-7b");  // 28 heads, 4 KV heads
  // 7 divides the 28 heads but neither divides nor is a multiple of the 4 KV heads.
  const auto sizes = MemoryModel::tensor_parallel_sizes(qwen, 8);
  EXPECT_EQ(sizes, (std::vector<std::int64_t>{1, 2, 4}));
}

TEST(TensorParallel, PerGpuOverheadsArePaidOnEveryGpuAndVramIsNotSummed) {
  // Two 24 GB cards are not one 48 GB card: each pays its own runtime and communication buffers.
  const Deployment d = deploy("llama-3.1-70b", "Q4_K_M", 8192);
  const MemoryBreakdown one = model().breakdown(d, 1, 48);
  const MemoryBreakdown two = model().breakdown(d, 2, 24);
  EXPECT_GT(2 * two.per_instance(), one.per_instance());
  EXPECT_DOUBLE_EQ(two.runtime_reserve, one.runtime_reserve);
}

TEST(TensorParallel, ACardThatHoldsTheModelAloneIsNotSplit) {
  MemoryBreakdown b;
  const std::int64_t n = model().instances(deploy("llama-3.1-8b"), card(24, 4), &b);
  EXPECT_EQ(n, 12);
  EXPECT_EQ(b.tensor_parallel, 1);
}

// ---------------------------------------------------------------- fit: the whole answer

TEST(Fit, MaxContextIsTheLongestThatFits) {
  const Deployment d = deploy("llama-3.1-8b", "Q4_K_M", 8192);
  const std::int64_t longest = model().max_context(d, card(16));
  ASSERT_GT(longest, 8192);
  ASSERT_LT(longest, 131072);
  Deployment at = d;
  at.context = longest;
  EXPECT_EQ(model().instances(at, card(16)), 1);
  at.context = longest + 1;
  EXPECT_EQ(model().instances(at, card(16)), 0);
  // Capped at the model's own maximum on a big card; 0 where not even one token fits.
  EXPECT_EQ(model().max_context(d, card(141)), 131072);
  EXPECT_EQ(model().max_context(deploy("llama-3.1-70b"), card(8)), 0);
}

TEST(Fit, BestQuantWalksFromQ8Down) {
  const Deployment d = deploy("llama-3.1-70b", "Q4_K_M", 8192);
  EXPECT_EQ(model().fit(d, card(141)).best_quant->id, "Q8_0");
  EXPECT_EQ(model().fit(d, card(48)).best_quant->id, "Q3_K_M");
  EXPECT_EQ(model().fit(d, card(8)).best_quant, nullptr);
  const QuantType* q = model().fit(deploy("llama-3.1-8b"), card(8)).best_quant;
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(q->ppl_delta_pct.has_value());
}

TEST(Fit, TokensPerSecondIsBandwidthOverBytesPerToken) {
  Hardware hw = card(24);
  hw.bandwidth_gbps = 1008;  // RTX 4090
  const Deployment d = deploy("llama-3.1-8b");
  const FitResult r = model().fit(d, hw);
  ASSERT_TRUE(r.tokens_per_s);
  const double bytes = MemoryModel::weight_bytes(d) + MemoryModel::kv_bytes(d);
  EXPECT_DOUBLE_EQ(*r.tokens_per_s, 1008e9 / bytes);
  EXPECT_FALSE(model().fit(d, card(24)).tokens_per_s) << "no bandwidth, no estimate";
}

TEST(Fit, MigProfilesThatHoldAnInstance) {
  Hardware hw = card(80);
  hw.mig = res().memory_model().mig_profiles("H100 SXM5 80GB");
  ASSERT_NE(hw.mig, nullptr);
  const FitResult r = model().fit(deploy("llama-3.1-8b"), hw);
  ASSERT_FALSE(r.mig.empty());
  // An 8B Q4_K_M with 8k of fp16 KV (about 6.3 GiB) fits a 1g.10gb slice (9.75 GiB): 7 per card.
  EXPECT_EQ(r.mig.front().profile, "1g.10gb");
  EXPECT_EQ(r.mig.front().instances, 7);
  // F16 (15 GiB of weights) does not fit 1g.10gb; the 20 GB slices are the smallest that do.
  const FitResult f16 = model().fit(deploy("llama-3.1-8b", "F16"), hw);
  ASSERT_FALSE(f16.mig.empty());
  EXPECT_EQ(f16.mig.front().profile, "1g.20gb");
}

TEST(Fit, ANoteSaysWhyNot) {
  const FitResult r = model().fit(deploy("llama-3.1-70b"), card(48));
  EXPECT_FALSE(r.fits);
  EXPECT_NE(r.note.find("GiB per GPU"), std::string::npos) << r.note;
}

}  // namespace
}  // namespace glyphsieve
