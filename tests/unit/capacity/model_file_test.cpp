// Model architectures from files: GGUF headers built byte by byte by a small writer below (valid and
// hostile), and Hugging Face config.json texts with the real values of known models.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

#include "glyphsieve/capacity/model_file.hpp"
#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {

// ---------------------------------------------------------------------------------------------------
// A GGUF writer (format: ggml docs/gguf.md), enough for the tests: little-endian, any version.

constexpr std::uint32_t kF32 = 0, kF16 = 1, kQ8_0 = 8, kQ4_K = 12, kQ6_K = 14;

class GgufWriter {
 public:
  explicit GgufWriter(std::uint32_t version = 3) : version_(version) {}

  GgufWriter& kv_u32(const std::string& key, std::uint32_t v) {
    key_(key, 4);
    u32(meta_, v);
    return count_kv();
  }
  GgufWriter& kv_u64(const std::string& key, std::uint64_t v) {
    key_(key, 10);
    u64(meta_, v);
    return count_kv();
  }
  GgufWriter& kv_f32(const std::string& key, std::uint32_t bits) {
    key_(key, 6);
    u32(meta_, bits);
    return count_kv();
  }
  GgufWriter& kv_str(const std::string& key, const std::string& v) {
    key_(key, 8);
    str(meta_, v);
    return count_kv();
  }
  GgufWriter& kv_str_array(const std::string& key, const std::vector<std::string>& v) {
    key_(key, 9);
    u32(meta_, 8);
    u64(meta_, v.size());
    for (const auto& s : v) str(meta_, s);
    return count_kv();
  }
  GgufWriter& kv_i32_array(const std::string& key, const std::vector<std::int32_t>& v) {
    key_(key, 9);
    u32(meta_, 5);
    u64(meta_, v.size());
    for (auto x : v) u32(meta_, static_cast<std::uint32_t>(x));
    return count_kv();
  }
  /// Raw bytes appended to the metadata section, counted as `kvs` pairs (for hostile values).
  GgufWriter& raw_kv(const std::string& bytes, std::uint64_t kvs = 1) {
    meta_ += bytes;
    kv_count_ += kvs;
    return *this;
  }

  GgufWriter& tensor(const std::string& name, const std::vector<std::uint64_t>& dims, std::uint32_t type) {
    str(tensors_, name);
    u32(tensors_, static_cast<std::uint32_t>(dims.size()));
    std::uint64_t elements = 1;
    for (auto d : dims) {
      u64(tensors_, d);
      elements *= d;
    }
    u32(tensors_, type);
    u64(tensors_, data_size_);
    data_size_ += align(bytes_of(type, elements));
    ++tensor_count_;
    return *this;
  }

  /// The file: header, metadata, tensor infos, padding to 32 and zero-filled tensor data.
  std::string bytes(bool with_data = true) const {
    std::string out = "GGUF";
    u32(out, version_);
    u64(out, tensor_count_);
    u64(out, kv_count_);
    out += meta_;
    out += tensors_;
    if (with_data && tensor_count_ > 0) {
      out.append(align(out.size()) - out.size(), '\0');
      out.append(data_size_, '\0');
    }
    return out;
  }

  static void u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  static void u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  static void str(std::string& out, const std::string& s) {
    u64(out, s.size());
    out += s;
  }

 private:
  static std::uint64_t align(std::uint64_t n) { return (n + 31) / 32 * 32; }
  static std::uint64_t bytes_of(std::uint32_t type, std::uint64_t elements) {
    switch (type) {
      case kF32:
        return elements * 4;
      case kF16:
        return elements * 2;
      case kQ8_0:
        return elements / 32 * 34;
      case kQ4_K:
        return elements / 256 * 144;
      case kQ6_K:
        return elements / 256 * 210;
      default:
        return elements;  // hostile tests only: the size does not matter
    }
  }
  void key_(const std::string& key, std::uint32_t type) {
    str(meta_, key);
    u32(meta_, type);
  }
  GgufWriter& count_kv() {
    ++kv_count_;
    return *this;
  }

  std::uint32_t version_;
  std::string meta_, tensors_;
  std::uint64_t kv_count_ = 0, tensor_count_ = 0, data_size_ = 0;
};

/// A stream buffer that cannot seek (a pipe): the reader must then work without the file size.
class PipeBuf : public std::streambuf {
 public:
  explicit PipeBuf(std::string data) : data_(std::move(data)) {
    setg(data_.data(), data_.data(), data_.data() + data_.size());
  }

 private:
  std::string data_;
};

ModelSpec read_bytes(const std::string& bytes, const std::string& file = "tiny.gguf") {
  std::istringstream in(bytes);
  return read_gguf(in, file);
}

/// The Error that reading `bytes` throws, rendered; any other outcome fails the test.
std::string gguf_error(const std::string& bytes, bool seekable = true) {
  try {
    if (seekable) {
      read_bytes(bytes);
    } else {
      PipeBuf buf(bytes);
      std::istream in(&buf);
      read_gguf(in, "tiny.gguf");
    }
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kDataError) << e.what();
    EXPECT_EQ(e.where().file, "tiny.gguf") << e.what();
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a glyphsieve::Error: " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "(no error)";
}

std::string header(std::uint32_t version, std::uint64_t tensors, std::uint64_t kvs) {
  std::string out = "GGUF";
  GgufWriter::u32(out, version);
  GgufWriter::u64(out, tensors);
  GgufWriter::u64(out, kvs);
  return out;
}

std::vector<std::string> tokens(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("t" + std::to_string(i));
  return out;
}

/// The metadata of a 2-layer llama-like model: hidden 256, 4 heads of 64, 2 KV heads, vocab 512.
GgufWriter llama_metadata(std::uint32_t version = 3) {
  GgufWriter w(version);
  w.kv_str("general.architecture", "llama")
      .kv_str("general.name", "tiny-llama")
      .kv_u32("general.file_type", 15)
      .kv_u32("llama.block_count", 2)
      .kv_u32("llama.context_length", 4096)
      .kv_u32("llama.embedding_length", 256)
      .kv_u32("llama.feed_forward_length", 512)
      .kv_u32("llama.attention.head_count", 4)
      .kv_u32("llama.attention.head_count_kv", 2)
      .kv_f32("llama.attention.layer_norm_rms_epsilon", 0x3727c5ac)
      .kv_str_array("tokenizer.ggml.tokens", tokens(512))
      .kv_i32_array("tokenizer.ggml.token_type", std::vector<std::int32_t>(512, 1));
  return w;
}

GgufWriter tiny_llama(std::uint32_t version = 3) {
  GgufWriter w = llama_metadata(version);
  w.tensor("token_embd.weight", {256, 512}, kQ4_K);
  for (int l = 0; l < 2; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    w.tensor(b + "attn_norm.weight", {256}, kF32)
        .tensor(b + "attn_q.weight", {256, 256}, kQ4_K)
        .tensor(b + "attn_k.weight", {256, 128}, kQ4_K)
        .tensor(b + "attn_v.weight", {256, 128}, kF16)
        .tensor(b + "attn_output.weight", {256, 256}, kQ4_K)
        .tensor(b + "ffn_norm.weight", {256}, kF32)
        .tensor(b + "ffn_gate.weight", {256, 512}, kQ4_K)
        .tensor(b + "ffn_up.weight", {256, 512}, kQ4_K)
        .tensor(b + "ffn_down.weight", {512, 256}, kF16);
  }
  w.tensor("output_norm.weight", {256}, kF32).tensor("output.weight", {256, 512}, kF16);
  return w;
}

// ---------------------------------------------------------------------------------------------------
// GGUF: valid files

TEST(Gguf, ReadsLlamaLikeModelExactly) {
  const ModelSpec m = read_bytes(tiny_llama().bytes());
  // Elements: embeddings and output 2 x 256x512; per layer 2 norms of 256, q/o 256x256, k/v 256x128,
  // gate/up/down 256x512; the final norm.
  const double per_layer = 2 * 256 + 2 * 65536 + 2 * 32768 + 3 * 131072;
  EXPECT_EQ(m.params, 2 * 131072 + 2 * per_layer + 256);
  // Bytes: Q4_K = 144 per 256 elements, F16 = 2, F32 = 4.
  const double q4k = 144.0 / 256;
  const double layer_bytes = 2 * 256 * 4 + (65536 + 32768 + 65536 + 2 * 131072) * q4k + 32768 * 2 + 131072 * 2;
  EXPECT_EQ(*m.weight_bytes, 131072 * q4k + 2 * layer_bytes + 256 * 4 + 131072 * 2);
  EXPECT_EQ(*m.weight_bytes, 1'475'584);
  EXPECT_EQ(m.weight_quant, "Q4_K_M");
  EXPECT_EQ(m.layers, 2);
  EXPECT_EQ(m.hidden, 256);
  EXPECT_EQ(m.heads, 4);
  EXPECT_EQ(m.kv_heads, 2);
  EXPECT_EQ(m.head_dim, 64);
  EXPECT_EQ(m.max_context, 4096);
  EXPECT_EQ(m.vocab, 512);
  EXPECT_FALSE(m.tied_embeddings);
  EXPECT_FALSE(m.is_moe());
  EXPECT_FALSE(m.is_mla());
  EXPECT_EQ(m.active_params, m.params);
  EXPECT_EQ(m.sliding_window, 0);
  EXPECT_EQ(m.id, "tiny-llama");
  EXPECT_EQ(m.name, "tiny-llama");
  EXPECT_EQ(m.source, "GGUF: tiny.gguf");
}

TEST(Gguf, ReadsVersion2AndStreamsThatCannotSeek) {
  const std::string v2 = tiny_llama(2).bytes();
  EXPECT_EQ(read_bytes(v2).params, read_bytes(tiny_llama().bytes()).params);
  PipeBuf buf(v2);
  std::istream in(&buf);
  const ModelSpec m = read_gguf(in, "pipe.gguf");
  EXPECT_EQ(*m.weight_bytes, 1'475'584);
  EXPECT_EQ(m.vocab, 512);
}

TEST(Gguf, TiedEmbeddingsFallbacksAndPerLayerKvHeads) {
  GgufWriter w;
  w.kv_str("general.architecture", "llama")
      .kv_u32("llama.block_count", 2)
      .kv_u32("llama.embedding_length", 256)
      .kv_u32("llama.attention.head_count", 8)
      .kv_i32_array("llama.attention.head_count_kv", {2, 4})
      .kv_u32("llama.attention.key_length", 64)
      .kv_u32("llama.vocab_size", 1000)
      .tensor("token_embd.weight", {256, 1000}, kQ8_0)
      .tensor("blk.0.attn_q.weight", {256, 512}, kQ8_0)
      .tensor("output_norm.weight", {256}, kF32);
  const ModelSpec m = read_bytes(w.bytes(), "models/foo-Q8_0.gguf");
  EXPECT_TRUE(m.tied_embeddings);  // no output.weight
  EXPECT_EQ(m.kv_heads, 4);        // the largest per-layer value
  EXPECT_EQ(m.head_dim, 64);
  EXPECT_EQ(m.vocab, 1000);
  EXPECT_EQ(m.max_context, 0);
  EXPECT_EQ(m.weight_quant, "Q8_0");  // no general.file_type: the type holding the most bytes
  EXPECT_EQ(*m.weight_bytes, (256000 + 131072) / 32 * 34 + 256 * 4);
  EXPECT_EQ(m.id, "foo-Q8_0");  // no general.name: the file stem
  EXPECT_EQ(m.source, "GGUF: models/foo-Q8_0.gguf");
}

TEST(Gguf, VocabFromEmbeddingTensorWhenNoTokenizer) {
  GgufWriter w;
  w.kv_str("general.architecture", "llama")
      .kv_u32("llama.block_count", 1)
      .kv_u32("llama.embedding_length", 32)
      .kv_u32("llama.attention.head_count", 2)
      .tensor("token_embd.weight", {32, 77}, kF16);
  EXPECT_EQ(read_bytes(w.bytes()).vocab, 77);
}

TEST(Gguf, MoeActiveParamsDiscountUnusedExperts) {
  GgufWriter w;
  w.kv_str("general.architecture", "qwen2moe")
      .kv_u32("general.file_type", 18)
      .kv_u32("qwen2moe.block_count", 1)
      .kv_u32("qwen2moe.embedding_length", 256)
      .kv_u32("qwen2moe.attention.head_count", 4)
      .kv_u32("qwen2moe.expert_count", 8)
      .kv_u32("qwen2moe.expert_used_count", 2)
      .kv_u64("qwen2moe.context_length", 32768)
      .kv_u32("qwen2moe.vocab_size", 512)
      .tensor("token_embd.weight", {256, 512}, kQ6_K)
      .tensor("blk.0.ffn_gate_inp.weight", {256, 8}, kF32)
      .tensor("blk.0.ffn_gate_exps.weight", {256, 256, 8}, kQ6_K)
      .tensor("blk.0.ffn_up_exps.weight", {256, 256, 8}, kQ6_K)
      .tensor("blk.0.ffn_down_exps.weight", {256, 256, 8}, kQ6_K)
      .tensor("blk.0.ffn_up_shexp.weight", {256, 256}, kQ6_K)
      .tensor("output.weight", {256, 512}, kQ6_K);
  const ModelSpec m = read_bytes(w.bytes());
  const double experts = 3.0 * 256 * 256 * 8;
  const double total = 2.0 * 256 * 512 + 256 * 8 + experts + 256 * 256;
  EXPECT_EQ(m.params, total);
  EXPECT_EQ(m.active_params, total - experts * (1 - 2.0 / 8));
  EXPECT_EQ(m.experts, 8);
  EXPECT_EQ(m.experts_per_token, 2);
  EXPECT_TRUE(m.is_moe());
  EXPECT_EQ(m.weight_quant, "Q6_K");
  EXPECT_EQ(m.max_context, 32768);
  EXPECT_EQ(*m.weight_bytes, (total - 256 * 8) / 256 * 210 + 256 * 8 * 4);
}

TEST(Gguf, DeepSeek2MlaFields) {
  GgufWriter w;
  w.kv_str("general.architecture", "deepseek2")
      .kv_str("general.name", "DeepSeek-V2-Lite-Chat")
      .kv_u32("general.file_type", 7)
      .kv_u32("deepseek2.block_count", 27)
      .kv_u32("deepseek2.context_length", 163840)
      .kv_u32("deepseek2.embedding_length", 2048)
      .kv_u32("deepseek2.attention.head_count", 16)
      .kv_u32("deepseek2.attention.head_count_kv", 16)
      .kv_u32("deepseek2.attention.key_length", 192)
      .kv_u32("deepseek2.attention.kv_lora_rank", 512)
      .kv_u32("deepseek2.rope.dimension_count", 64)
      .kv_u32("deepseek2.expert_count", 64)
      .kv_u32("deepseek2.expert_used_count", 6)
      .tensor("blk.0.attn_kv_a_mqa.weight", {2048, 576}, kQ8_0)
      .tensor("blk.1.ffn_up_exps.weight", {2048, 1408, 64}, kQ8_0);
  const ModelSpec m = read_bytes(w.bytes());
  EXPECT_TRUE(m.is_mla());
  EXPECT_EQ(m.kv_lora_rank, 512);
  EXPECT_EQ(m.qk_rope_head_dim, 64);
  EXPECT_EQ(m.head_dim, 192);
  EXPECT_EQ(m.layers, 27);
  EXPECT_EQ(m.max_context, 163840);
  EXPECT_EQ(m.experts, 64);
  EXPECT_EQ(m.experts_per_token, 6);
  EXPECT_EQ(m.weight_quant, "Q8_0");
  EXPECT_EQ(m.id, "DeepSeek-V2-Lite-Chat");
  const double exps = 2048.0 * 1408 * 64;
  EXPECT_EQ(m.active_params, m.params - exps * (1 - 6.0 / 64));
}

TEST(Gguf, Gemma2SlidingWindowOnHalfTheLayers) {
  GgufWriter w;
  w.kv_str("general.architecture", "gemma2")
      .kv_u32("gemma2.block_count", 42)
      .kv_u32("gemma2.embedding_length", 3584)
      .kv_u32("gemma2.attention.head_count", 16)
      .kv_u32("gemma2.attention.head_count_kv", 8)
      .kv_u32("gemma2.attention.key_length", 256)
      .kv_u32("gemma2.attention.sliding_window", 4096)
      .tensor("token_embd.weight", {3584, 8}, kF16);
  const ModelSpec m = read_bytes(w.bytes());
  EXPECT_EQ(m.sliding_window, 4096);
  EXPECT_EQ(m.sliding_window_layers, 21);
  EXPECT_EQ(m.head_dim, 256);
}

TEST(Gguf, ReadsFromDiskAndNamesBadPaths) {
  const auto dir = std::filesystem::path(testing::TempDir()) / "glyphsieve_model_file_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "tiny-from-disk.gguf").string();
  {
    std::ofstream out(path, std::ios::binary);
    const std::string bytes = tiny_llama().bytes();
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  const ModelSpec m = read_gguf_file(path);
  EXPECT_EQ(*m.weight_bytes, 1'475'584);
  EXPECT_EQ(m.source, "GGUF: " + path);

  for (const std::string& bad : {(dir / "missing.gguf").string(), dir.string()}) {
    try {
      read_gguf_file(bad);
      ADD_FAILURE() << "no error for " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kDataError);
      EXPECT_EQ(e.where().file, bad);
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
  std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------------------------------------------
// GGUF: hostile and broken files. Each must end in one located Error, never a crash or a huge allocation.

TEST(GgufHostile, TruncatedAtEveryByte) {
  GgufWriter w;
  w.kv_str("general.architecture", "llama")
      .kv_u32("llama.block_count", 1)
      .kv_u32("llama.embedding_length", 32)
      .kv_u32("llama.attention.head_count", 2)
      .kv_str_array("tokenizer.ggml.tokens", {"a", "bc"})
      .kv_i32_array("llama.attention.head_count_kv", {1})
      .tensor("token_embd.weight", {32, 2}, kF32)
      .tensor("blk.0.attn_q.weight", {32, 32}, kQ8_0);
  const std::string full = w.bytes();
  const std::size_t table_end = w.bytes(/*with_data=*/false).size();
  ASSERT_NO_THROW(read_bytes(full));
  for (std::size_t n = 0; n < full.size(); ++n) {
    // A stream that cannot seek has no size to check the tensor data against: only the header counts.
    for (const bool seekable : {true, false}) {
      if (!seekable && n >= table_end) continue;
      const std::string what = gguf_error(full.substr(0, n), seekable);
      EXPECT_NE(what.find("truncated GGUF file"), std::string::npos) << n << ": " << what;
      EXPECT_NE(what.find(" at byte "), std::string::npos) << n << ": " << what;
    }
  }
}

TEST(GgufHostile, HugeStringLength) {
  std::string kv;
  GgufWriter::u64(kv, 1ULL << 60);
  kv += "general.architecture";
  const std::string what = gguf_error(header(3, 0, 1) + kv);
  EXPECT_EQ(what,
            "tiny.gguf: key 'metadata[0].key': string length 1152921504606846976 is over the 1 MiB limit at byte 24");
  EXPECT_NE(gguf_error(header(3, 0, 1) + kv, false).find("over the 1 MiB limit"), std::string::npos);
}

TEST(GgufHostile, HugeCounts) {
  EXPECT_EQ(gguf_error(header(3, 1ULL << 40, 0)),
            "tiny.gguf: key 'tensor_count': tensor_count 1099511627776 is over the limit of 1000000 at byte 8");
  EXPECT_EQ(gguf_error(header(3, 0, 1ULL << 40)),
            "tiny.gguf: key 'metadata_kv_count': metadata_kv_count 1099511627776 is over the limit of 1000000 at byte "
            "16");
  // An array count over the limit, and one within it whose bytes are not in the file.
  for (const std::uint64_t count : {1ULL << 40, 50'000'000ULL}) {
    std::string kv;
    GgufWriter::str(kv, "tokenizer.ggml.scores");
    GgufWriter::u32(kv, 9);  // array
    GgufWriter::u32(kv, 6);  // of float32
    GgufWriter::u64(kv, count);
    const std::string what = gguf_error(header(3, 0, 1) + kv);
    EXPECT_NE(what.find("key 'tokenizer.ggml.scores'"), std::string::npos) << what;
    EXPECT_NE(what.find(count > 100'000'000 ? "over the limit" : "truncated GGUF file"), std::string::npos) << what;
  }
  // Strings: a million claimed, none present.
  std::string kv;
  GgufWriter::str(kv, "tokenizer.ggml.tokens");
  GgufWriter::u32(kv, 9);
  GgufWriter::u32(kv, 8);
  GgufWriter::u64(kv, 1'000'000);
  EXPECT_NE(gguf_error(header(3, 0, 1) + kv).find("truncated GGUF file"), std::string::npos);
  EXPECT_NE(gguf_error(header(3, 0, 1) + kv, false).find("truncated GGUF file"), std::string::npos);
}

TEST(GgufHostile, BadTensorInfos) {
  const auto with_tensor = [](const std::vector<std::uint64_t>& dims, std::uint32_t type,
                              std::uint32_t n_dims_override = 0) {
    std::string t;
    GgufWriter::str(t, "blk.0.attn_q.weight");
    GgufWriter::u32(t, n_dims_override > 0 ? n_dims_override : static_cast<std::uint32_t>(dims.size()));
    for (auto d : dims) GgufWriter::u64(t, d);
    GgufWriter::u32(t, type);
    GgufWriter::u64(t, 0);
    return header(3, 1, 0) + t + std::string(64, '\0');
  };
  EXPECT_NE(
      gguf_error(with_tensor({1, 1, 1, 1, 1, 1, 1, 1, 1}, kF32, 9)).find("has 9 dimensions; GGUF allows at most 4"),
      std::string::npos);
  const std::string unknown = gguf_error(with_tensor({32}, 200));
  EXPECT_NE(unknown.find("key 'blk.0.attn_q.weight'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("unknown ggml type 200 at byte "), std::string::npos) << unknown;
  EXPECT_NE(gguf_error(with_tensor({1ULL << 26, 1ULL << 25}, kF32)).find("more than 2^50 elements"), std::string::npos);
  EXPECT_NE(gguf_error(with_tensor({32, 0}, kF32)).find("dimension of 0"), std::string::npos);
  EXPECT_NE(
      gguf_error(with_tensor({100}, kQ4_K)).find("rows of 100 elements, not a multiple of the Q4_K block size 256"),
      std::string::npos);
  // Removed ggml types (Q4_2 = 4, the repacked Q4_0_4_4 = 31) are unknown too.
  EXPECT_NE(gguf_error(with_tensor({32}, 4)).find("unknown ggml type 4"), std::string::npos);
  EXPECT_NE(gguf_error(with_tensor({32}, 31)).find("unknown ggml type 31"), std::string::npos);
}

TEST(GgufHostile, WrongMagicVersionAndEndianness) {
  EXPECT_EQ(gguf_error("GGML" + std::string(20, '\0')),
            "tiny.gguf: key 'magic': not a GGUF file: it starts with \"GGML\", not \"GGUF\" at byte 0");
  EXPECT_NE(gguf_error(std::string("\x7f"
                                   "ELF",
                                   4) +
                       std::string(20, '\0'))
                .find("\\x7fELF"),
            std::string::npos);
  std::string big_endian = "GGUF";
  big_endian += std::string("\0\0\0\3", 4);
  big_endian += std::string(16, '\0');
  EXPECT_NE(gguf_error(big_endian).find("big-endian GGUF files are not supported"), std::string::npos);
  EXPECT_NE(gguf_error(header(1, 0, 0)).find("GGUF version 1 is not supported"), std::string::npos);
  EXPECT_NE(gguf_error(header(4, 0, 0)).find("unsupported GGUF version 4"), std::string::npos);
  EXPECT_NE(gguf_error("").find("truncated GGUF file: 4 bytes of magic expected at byte 0"), std::string::npos);
}

TEST(GgufHostile, BadMetadata) {
  // Unknown value type, nested array.
  std::string kv;
  GgufWriter::str(kv, "x.y");
  GgufWriter::u32(kv, 99);
  EXPECT_NE(gguf_error(header(3, 0, 1) + kv + std::string(16, '\0')).find("unknown GGUF value type 99"),
            std::string::npos);
  kv.clear();
  GgufWriter::str(kv, "x.y");
  GgufWriter::u32(kv, 9);
  GgufWriter::u32(kv, 9);
  GgufWriter::u64(kv, 1);
  EXPECT_NE(gguf_error(header(3, 0, 1) + kv + std::string(16, '\0')).find("nested arrays"), std::string::npos);

  // A string where a number is expected, a missing key, a missing architecture, absurd values.
  GgufWriter w;
  w.kv_str("general.architecture", "llama").kv_str("llama.block_count", "32");
  EXPECT_NE(gguf_error(w.bytes()).find("key 'llama.block_count': llama.block_count must be an integer, not a string"),
            std::string::npos);
  GgufWriter missing;
  missing.kv_str("general.architecture", "llama")
      .kv_u32("llama.block_count", 2)
      .kv_u32("llama.attention.head_count", 2);
  EXPECT_NE(gguf_error(missing.bytes()).find("key 'llama.embedding_length': missing key llama.embedding_length"),
            std::string::npos);
  GgufWriter no_arch;
  no_arch.kv_u32("llama.block_count", 2);
  EXPECT_NE(gguf_error(no_arch.bytes()).find("missing key general.architecture"), std::string::npos);
  GgufWriter absurd;
  absurd.kv_str("general.architecture", "llama")
      .kv_u64("llama.block_count", 1ULL << 63)
      .kv_u32("llama.embedding_length", 32)
      .kv_u32("llama.attention.head_count", 2);
  EXPECT_NE(gguf_error(absurd.bytes()).find("over the limit of 1000"), std::string::npos);
  GgufWriter too_many_used;
  too_many_used.kv_str("general.architecture", "llama")
      .kv_u32("llama.block_count", 2)
      .kv_u32("llama.embedding_length", 32)
      .kv_u32("llama.attention.head_count", 2)
      .kv_u32("llama.expert_count", 2)
      .kv_u32("llama.expert_used_count", 4);
  EXPECT_NE(gguf_error(too_many_used.bytes()).find("more than the 2 experts"), std::string::npos);
}

TEST(GgufHostile, TensorDataPastTheEndOfTheFile) {
  const std::string header_only = tiny_llama().bytes(/*with_data=*/false);
  const std::string what = gguf_error(header_only);
  EXPECT_NE(what.find("truncated GGUF file: the tensor data needs"), std::string::npos) << what;
  EXPECT_NE(what.find("at byte " + std::to_string(header_only.size())), std::string::npos) << what;
  // A stream that cannot seek has no known size: the header alone is then read.
  PipeBuf buf(header_only);
  std::istream in(&buf);
  EXPECT_EQ(*read_gguf(in, "pipe.gguf").weight_bytes, 1'475'584);
}

// ---------------------------------------------------------------------------------------------------
// Hugging Face config.json

ModelSpec hf(const std::string& json, const std::string& file = "models/config.json") {
  return read_hf_config(json, file);
}

/// The Error that reading `json` throws, rendered; any other outcome fails the test.
std::string hf_error(const std::string& json) {
  try {
    hf(json, "cfg.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kDataError) << e.what();
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a glyphsieve::Error: " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "(no error)";
}

const std::string kLlama31_8B = R"({
  "_name_or_path": "meta-llama/Llama-3.1-8B",
  "architectures": ["LlamaForCausalLM"],
  "attention_bias": false,
  "bos_token_id": 128000,
  "eos_token_id": 128001,
  "hidden_act": "silu",
  "hidden_size": 4096,
  "initializer_range": 0.02,
  "intermediate_size": 14336,
  "max_position_embeddings": 131072,
  "mlp_bias": false,
  "model_type": "llama",
  "num_attention_heads": 32,
  "num_hidden_layers": 32,
  "num_key_value_heads": 8,
  "pretraining_tp": 1,
  "rms_norm_eps": 1e-05,
  "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                   "original_max_position_embeddings": 8192, "rope_type": "llama3"},
  "rope_theta": 500000.0,
  "tie_word_embeddings": false,
  "torch_dtype": "bfloat16",
  "transformers_version": "4.43.0.dev0",
  "use_cache": true,
  "vocab_size": 128256
})";

TEST(HfConfig, Llama31_8B) {
  const ModelSpec m = hf(kLlama31_8B);
  EXPECT_EQ(m.params, 8'030'261'248);
  EXPECT_EQ(m.active_params, m.params);
  EXPECT_EQ(m.layers, 32);
  EXPECT_EQ(m.hidden, 4096);
  EXPECT_EQ(m.heads, 32);
  EXPECT_EQ(m.kv_heads, 8);
  EXPECT_EQ(m.head_dim, 128);
  EXPECT_EQ(m.vocab, 128256);
  EXPECT_FALSE(m.tied_embeddings);
  EXPECT_EQ(m.max_context, 131072);
  EXPECT_EQ(m.sliding_window, 0);
  EXPECT_FALSE(m.is_moe());
  EXPECT_FALSE(m.weight_bytes.has_value());
  EXPECT_EQ(m.id, "meta-llama/Llama-3.1-8B");
  EXPECT_EQ(m.name, "meta-llama/Llama-3.1-8B");
  EXPECT_EQ(m.source, "config.json: models/config.json");
  EXPECT_EQ(m.uncertain, std::vector<std::string>{"params"});
}

TEST(HfConfig, Qwen25_7BWithQkvBiasAndWindowSwitchedOff) {
  const ModelSpec m = hf(R"({
    "architectures": ["Qwen2ForCausalLM"],
    "attention_dropout": 0.0,
    "bos_token_id": 151643,
    "eos_token_id": 151643,
    "hidden_act": "silu",
    "hidden_size": 3584,
    "initializer_range": 0.02,
    "intermediate_size": 18944,
    "max_position_embeddings": 131072,
    "max_window_layers": 28,
    "model_type": "qwen2",
    "num_attention_heads": 28,
    "num_hidden_layers": 28,
    "num_key_value_heads": 4,
    "rms_norm_eps": 1e-06,
    "rope_theta": 1000000.0,
    "sliding_window": 131072,
    "tie_word_embeddings": false,
    "torch_dtype": "bfloat16",
    "transformers_version": "4.43.1",
    "use_cache": true,
    "use_sliding_window": false,
    "vocab_size": 152064
  })");
  EXPECT_EQ(m.params, 7'615'616'512);
  EXPECT_EQ(m.head_dim, 128);
  EXPECT_EQ(m.kv_heads, 4);
  EXPECT_EQ(m.sliding_window, 0);
  EXPECT_EQ(m.sliding_window_layers, 0);
  EXPECT_EQ(m.id, "config");  // no _name_or_path: the file stem
}

TEST(HfConfig, Mixtral8x7BTotalAndActive) {
  const ModelSpec m = hf(R"({
    "architectures": ["MixtralForCausalLM"],
    "attention_dropout": 0.0,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "hidden_act": "silu",
    "hidden_size": 4096,
    "initializer_range": 0.02,
    "intermediate_size": 14336,
    "max_position_embeddings": 32768,
    "model_type": "mixtral",
    "num_attention_heads": 32,
    "num_experts_per_tok": 2,
    "num_hidden_layers": 32,
    "num_key_value_heads": 8,
    "num_local_experts": 8,
    "output_router_logits": false,
    "rms_norm_eps": 1e-05,
    "rope_theta": 1000000.0,
    "router_aux_loss_coef": 0.02,
    "sliding_window": null,
    "tie_word_embeddings": false,
    "torch_dtype": "bfloat16",
    "transformers_version": "4.36.0.dev0",
    "use_cache": true,
    "vocab_size": 32000
  })");
  EXPECT_EQ(m.params, 46'702'792'704);
  EXPECT_EQ(m.active_params, 12'879'925'248);
  EXPECT_EQ(m.experts, 8);
  EXPECT_EQ(m.experts_per_token, 2);
  EXPECT_EQ(m.sliding_window, 0);  // null: no window
  EXPECT_EQ(m.max_context, 32768);
}

TEST(HfConfig, Gemma2_9BImplicitTieSandwichNormsAndAlternatingWindow) {
  // The real file: no tie_word_embeddings (Gemma2Config defaults to tied, so transformers leaves it
  // out), head_dim 256 != hidden/heads, four RMSNorms per layer.
  const ModelSpec m = hf(R"({
    "architectures": ["Gemma2ForCausalLM"],
    "attention_bias": false,
    "attention_dropout": 0.0,
    "attn_logit_softcapping": 50.0,
    "bos_token_id": 2,
    "cache_implementation": "hybrid",
    "eos_token_id": 1,
    "final_logit_softcapping": 30.0,
    "head_dim": 256,
    "hidden_act": "gelu_pytorch_tanh",
    "hidden_activation": "gelu_pytorch_tanh",
    "hidden_size": 3584,
    "initializer_range": 0.02,
    "intermediate_size": 14336,
    "max_position_embeddings": 8192,
    "model_type": "gemma2",
    "num_attention_heads": 16,
    "num_hidden_layers": 42,
    "num_key_value_heads": 8,
    "pad_token_id": 0,
    "query_pre_attn_scalar": 256,
    "rms_norm_eps": 1e-06,
    "rope_theta": 10000.0,
    "sliding_window": 4096,
    "torch_dtype": "float32",
    "transformers_version": "4.42.0.dev0",
    "use_cache": true,
    "vocab_size": 256000
  })");
  EXPECT_EQ(m.params, 9'241'705'984);
  EXPECT_TRUE(m.tied_embeddings);
  EXPECT_EQ(m.head_dim, 256);
  EXPECT_EQ(m.sliding_window, 4096);
  EXPECT_EQ(m.sliding_window_layers, 21);
  // With the key written out the count is the same.
  EXPECT_EQ(hf(R"({"model_type": "gemma2", "num_hidden_layers": 42, "hidden_size": 3584, "num_attention_heads": 16,
                   "num_key_value_heads": 8, "head_dim": 256, "intermediate_size": 14336, "vocab_size": 256000,
                   "tie_word_embeddings": true})")
                .params,
            9'241'705'984);
}

TEST(HfConfig, Mistral7BWindowOnEveryLayer) {
  const ModelSpec m = hf(R"({"model_type": "mistral", "num_hidden_layers": 32, "hidden_size": 4096,
    "num_attention_heads": 32, "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 32000,
    "max_position_embeddings": 32768, "sliding_window": 4096, "tie_word_embeddings": false})");
  EXPECT_EQ(m.params, 7'241'732'096);
  EXPECT_EQ(m.sliding_window, 4096);
  EXPECT_EQ(m.sliding_window_layers, 32);
}

TEST(HfConfig, Qwen3_8BQkNorm) {
  const ModelSpec m = hf(R"({"model_type": "qwen3", "num_hidden_layers": 36, "hidden_size": 4096,
    "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128, "intermediate_size": 12288,
    "vocab_size": 151936, "attention_bias": false, "tie_word_embeddings": false, "max_position_embeddings": 40960,
    "sliding_window": null, "use_sliding_window": false})");
  EXPECT_EQ(m.params, 8'190'735'360);  // the safetensors total of Qwen/Qwen3-8B
}

TEST(HfConfig, DeepSeekV2LiteMlaAndMoe) {
  const ModelSpec m = hf(R"({
    "architectures": ["DeepseekV2ForCausalLM"],
    "aux_loss_alpha": 0.001,
    "first_k_dense_replace": 1,
    "hidden_act": "silu",
    "hidden_size": 2048,
    "intermediate_size": 10944,
    "kv_lora_rank": 512,
    "max_position_embeddings": 163840,
    "model_type": "deepseek_v2",
    "moe_intermediate_size": 1408,
    "moe_layer_freq": 1,
    "n_group": 1,
    "n_routed_experts": 64,
    "n_shared_experts": 2,
    "norm_topk_prob": false,
    "num_attention_heads": 16,
    "num_experts_per_tok": 6,
    "num_hidden_layers": 27,
    "num_key_value_heads": 16,
    "q_lora_rank": null,
    "qk_nope_head_dim": 128,
    "qk_rope_head_dim": 64,
    "tie_word_embeddings": false,
    "topk_group": 1,
    "topk_method": "greedy",
    "v_head_dim": 128,
    "vocab_size": 102400
  })");
  EXPECT_EQ(m.params, 15'706'484'224);
  // Embeddings, attention, norms, the dense first layer, and per MoE layer 6 routed + 2 shared experts
  // and the router.
  EXPECT_EQ(m.active_params, 2'661'150'208);
  EXPECT_TRUE(m.is_mla());
  EXPECT_EQ(m.kv_lora_rank, 512);
  EXPECT_EQ(m.qk_rope_head_dim, 64);
  EXPECT_EQ(m.head_dim, 192);
  EXPECT_EQ(m.experts, 64);
  EXPECT_EQ(m.experts_per_token, 6);
  // MLA missing one of its widths.
  EXPECT_NE(hf_error(R"({"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 10,
                         "intermediate_size": 128, "kv_lora_rank": 16, "qk_rope_head_dim": 8, "qk_nope_head_dim": 8})")
                .find("key 'v_head_dim': missing key v_head_dim"),
            std::string::npos);
}

TEST(HfConfig, DefaultsMhaHeadDimAndUntied) {
  const ModelSpec m = hf(R"({"num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32,
    "intermediate_size": 11008, "vocab_size": 32000})",
                         "llama-2-7b.json");
  EXPECT_EQ(m.kv_heads, 32);  // no num_key_value_heads: MHA
  EXPECT_EQ(m.head_dim, 128);
  EXPECT_FALSE(m.tied_embeddings);
  EXPECT_EQ(m.max_context, 0);
  EXPECT_EQ(m.params, 6'738'415'616);  // Llama-2-7B
  EXPECT_EQ(m.id, "llama-2-7b");
}

TEST(HfConfig, TextConfigNesting) {
  const ModelSpec m = hf(R"({
    "_name_or_path": "acme/vision-chat",
    "model_type": "llava",
    "vision_config": {"hidden_size": 1024, "num_hidden_layers": 24},
    "text_config": {"model_type": "llama", "num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32,
                    "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256,
                    "max_position_embeddings": 131072, "tie_word_embeddings": false}
  })");
  EXPECT_EQ(m.params, 8'030'261'248);
  EXPECT_EQ(m.kv_heads, 8);
  EXPECT_EQ(m.id, "acme/vision-chat");
  // Errors inside text_config name the nested key.
  EXPECT_NE(hf_error(R"({"text_config": {"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4,
                                         "intermediate_size": 128}})")
                .find("cfg.json: key 'text_config.vocab_size': missing key vocab_size"),
            std::string::npos);
}

TEST(HfConfig, InvalidJsonGivesLineAndColumn) {
  // The position nlohmann reports: its last character read, here the end of the number 4096.
  EXPECT_EQ(hf_error("{\n  \"num_hidden_layers\": 32,\n  \"hidden_size\" 4096\n}"),
            "cfg.json:3:20: invalid JSON: syntax error while parsing object separator - unexpected number literal; "
            "expected ':'");
  EXPECT_EQ(hf_error("{\n  \"num_hidden_layers\": 32,\n  \"hidden_size\" }"),
            "cfg.json:3:17: invalid JSON: syntax error while parsing object separator - unexpected '}'; expected ':'");
  const std::string end = hf_error("{\"a\": [1, 2");
  EXPECT_NE(end.find("cfg.json:1:"), std::string::npos) << end;
  EXPECT_NE(end.find("invalid JSON"), std::string::npos) << end;
  EXPECT_NE(hf_error("").find("cfg.json:1:1: invalid JSON"), std::string::npos);
  EXPECT_EQ(hf_error("{\"a\": \"\xff\"}"),
            "cfg.json:1:8: invalid JSON: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; "
            "last read: '\"?'");
  EXPECT_NE(hf_error("[1, 2]").find("must hold a JSON object"), std::string::npos);
}

TEST(HfConfig, WrongTypesMissingKeysAndAbsurdValues) {
  const auto with = [](const std::string& layers) {
    return R"({"num_hidden_layers": )" + layers +
           R"(, "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 10, "intermediate_size": 128})";
  };
  EXPECT_EQ(hf_error(with("\"32\"")),
            "cfg.json: key 'num_hidden_layers': num_hidden_layers must be an integer, got \"32\"");
  EXPECT_NE(hf_error(with("32.5")).find("must be an integer, got 32.5"), std::string::npos);
  EXPECT_NE(hf_error(with("-3")).find("num_hidden_layers is -3; it must be at least 1"), std::string::npos);
  EXPECT_NE(hf_error(with("0")).find("it must be at least 1"), std::string::npos);
  EXPECT_NE(hf_error(with("5000")).find("num_hidden_layers is 5000, over the limit of 1000"), std::string::npos);
  EXPECT_NE(hf_error(with("18446744073709551615")).find("over the limit of 1000"), std::string::npos);
  EXPECT_NE(hf_error(with("null")).find("missing key num_hidden_layers"), std::string::npos);
  EXPECT_NE(hf_error(with("true")).find("must be an integer, got true"), std::string::npos);
  EXPECT_EQ(hf_error(R"({"num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 10})"),
            "cfg.json: key 'hidden_size': missing key hidden_size: the config must give it as a positive integer");
  EXPECT_NE(hf_error(R"({"num_hidden_layers": 2, "hidden_size": 2000000, "num_attention_heads": 4, "vocab_size": 10})")
                .find("over the limit of 1000000"),
            std::string::npos);
  EXPECT_NE(hf_error(R"({"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 20000000})")
                .find("key 'vocab_size'"),
            std::string::npos);
  EXPECT_NE(hf_error(R"({"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 10,
                         "intermediate_size": 128, "max_position_embeddings": 1000000000})")
                .find("key 'max_position_embeddings'"),
            std::string::npos);
  EXPECT_NE(hf_error(R"({"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 10,
                         "intermediate_size": 128, "num_key_value_heads": 8})")
                .find("more than num_attention_heads"),
            std::string::npos);
  EXPECT_NE(hf_error(R"({"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 10,
                         "intermediate_size": 128, "tie_word_embeddings": "yes"})")
                .find("tie_word_embeddings must be true or false"),
            std::string::npos);
  EXPECT_NE(hf_error(R"({"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 10})")
                .find("missing key intermediate_size"),
            std::string::npos);
  EXPECT_NE(hf_error(R"({"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 10,
                         "intermediate_size": 128, "num_local_experts": 8})")
                .find("missing key num_experts_per_tok"),
            std::string::npos);
}

}  // namespace
}  // namespace glyphsieve
