// GGUF header and tensor-table reader for `fit --gguf`: the architecture keys, and exact weight bytes
// from each tensor's ggml block size. It never reads tensor data and never stores an array, so memory
// stays bounded by the header however hostile the file (limits below, each a located Error).
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <ios>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "glyphsieve/capacity/model_file.hpp"
#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {

// Hostile-input limits: far above any real model, far below what could exhaust memory or time.
constexpr std::uint64_t kMaxString = std::uint64_t{1024} * 1024;  // bytes in one key, string value or tensor name
constexpr std::uint64_t kMaxTensors = 1'000'000;                  // tensor_count
constexpr std::uint64_t kMaxKv = 1'000'000;                       // metadata_kv_count
constexpr std::uint64_t kMaxArray = 100'000'000;                  // elements in one metadata array
constexpr std::uint32_t kMaxDims = 4;                             // GGML_MAX_DIMS
constexpr std::uint64_t kMaxElements = 1ULL << 50;                // elements in one tensor
constexpr std::uint64_t kMaxTotalElements = 1ULL << 53;           // all tensors together (exact as a double)
constexpr std::uint64_t kDefaultAlignment = 32;                   // GGUF_DEFAULT_ALIGNMENT

// The same sanity limits as read_hf_config.
constexpr std::int64_t kMaxLayers = 1000;
constexpr std::int64_t kMaxHidden = 1'000'000;
constexpr std::int64_t kMaxHeads = 10'000;
constexpr std::int64_t kMaxVocab = 10'000'000;
constexpr std::int64_t kMaxContext = 100'000'000;
constexpr std::int64_t kMaxExperts = 100'000;

/// One ggml tensor type: `bytes` per block of `block` elements (ggml-common.h; quant-facts.md §1A).
struct GgmlType {
  std::uint32_t id;
  const char* name;
  std::uint32_t block;
  std::uint32_t bytes;
};

// The real ggml_type ids; gaps are types removed from ggml (Q4_2, Q4_3, the repacked Q4_0_x_y ...).
constexpr GgmlType kGgmlTypes[] = {
    {0, "F32", 1, 4},         {1, "F16", 1, 2},         {2, "Q4_0", 32, 18},      {3, "Q4_1", 32, 20},
    {6, "Q5_0", 32, 22},      {7, "Q5_1", 32, 24},      {8, "Q8_0", 32, 34},      {9, "Q8_1", 32, 36},
    {10, "Q2_K", 256, 84},    {11, "Q3_K", 256, 110},   {12, "Q4_K", 256, 144},   {13, "Q5_K", 256, 176},
    {14, "Q6_K", 256, 210},   {15, "Q8_K", 256, 292},   {16, "IQ2_XXS", 256, 66}, {17, "IQ2_XS", 256, 74},
    {18, "IQ3_XXS", 256, 98}, {19, "IQ1_S", 256, 50},   {20, "IQ4_NL", 32, 18},   {21, "IQ3_S", 256, 110},
    {22, "IQ2_S", 256, 82},   {23, "IQ4_XS", 256, 136}, {24, "I8", 1, 1},         {25, "I16", 1, 2},
    {26, "I32", 1, 4},        {27, "I64", 1, 8},        {28, "F64", 1, 8},        {29, "IQ1_M", 256, 56},
    {30, "BF16", 1, 2},       {34, "TQ1_0", 256, 54},   {35, "TQ2_0", 256, 66},   {39, "MXFP4", 32, 17},
};
constexpr std::size_t kGgmlTypeSlots = 40;  // one past the largest id above

const GgmlType* find_ggml_type(std::uint32_t id) {
  for (const auto& t : kGgmlTypes) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

/// llama_ftype values of `general.file_type` and the names llama-quantize gives them.
struct FileType {
  std::uint32_t id;
  const char* name;
};
constexpr FileType kFileTypes[] = {
    {0, "F32"},     {1, "F16"},     {2, "Q4_0"},     {3, "Q4_1"},    {7, "Q8_0"},       {8, "Q5_0"},    {9, "Q5_1"},
    {10, "Q2_K"},   {11, "Q3_K_S"}, {12, "Q3_K_M"},  {13, "Q3_K_L"}, {14, "Q4_K_S"},    {15, "Q4_K_M"}, {16, "Q5_K_S"},
    {17, "Q5_K_M"}, {18, "Q6_K"},   {19, "IQ2_XXS"}, {20, "IQ2_XS"}, {21, "Q2_K_S"},    {22, "IQ3_XS"}, {23, "IQ3_XXS"},
    {24, "IQ1_S"},  {25, "IQ4_NL"}, {26, "IQ3_S"},   {27, "IQ3_M"},  {28, "IQ2_S"},     {29, "IQ2_M"},  {30, "IQ4_XS"},
    {31, "IQ1_M"},  {32, "BF16"},   {36, "TQ1_0"},   {37, "TQ2_0"},  {38, "MXFP4_MOE"},
};
constexpr std::int64_t kFileTypeGuessed = 1024;  // LLAMA_FTYPE_GUESSED, or-ed into the value

const char* file_type_name(std::int64_t id) {
  if (id >= kFileTypeGuessed) id -= kFileTypeGuessed;
  for (const auto& f : kFileTypes) {
    if (static_cast<std::int64_t>(f.id) == id) return f.name;
  }
  return nullptr;
}

/// gguf_type: the metadata value types.
enum ValueType : std::uint32_t {
  kUint8 = 0,
  kInt8 = 1,
  kUint16 = 2,
  kInt16 = 3,
  kUint32 = 4,
  kInt32 = 5,
  kFloat32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kUint64 = 10,
  kInt64 = 11,
  kFloat64 = 12,
};

/// Bytes of a fixed-size value type; 0 for string, array and unknown ids.
std::uint64_t scalar_size(std::uint32_t type) {
  switch (type) {
    case kUint8:
    case kInt8:
    case kBool:
      return 1;
    case kUint16:
    case kInt16:
      return 2;
    case kUint32:
    case kInt32:
    case kFloat32:
      return 4;
    case kUint64:
    case kInt64:
    case kFloat64:
      return 8;
    default:
      return 0;
  }
}

bool is_integer_type(std::uint32_t type) {
  return type == kUint8 || type == kInt8 || type == kUint16 || type == kInt16 || type == kUint32 || type == kInt32 ||
         type == kUint64 || type == kInt64;
}

/// A metadata value the reader kept. Arrays keep only their count and their largest integer.
struct MetaValue {
  enum class Kind { kInteger, kFloat, kBool, kString, kArray };
  Kind kind = Kind::kInteger;
  std::int64_t integer = 0;  ///< kInteger; for an integer array, its largest element
  bool too_big = false;      ///< a uint64 beyond int64
  std::string text;          ///< kString
  std::uint64_t count = 0;   ///< kArray
  bool integer_array = false;
};

const char* kind_name(MetaValue::Kind kind) {
  switch (kind) {
    case MetaValue::Kind::kInteger:
      return "an integer";
    case MetaValue::Kind::kFloat:
      return "a float";
    case MetaValue::Kind::kBool:
      return "a bool";
    case MetaValue::Kind::kString:
      return "a string";
    case MetaValue::Kind::kArray:
      return "an array";
  }
  return "a value";
}

/// Little-endian reads from the stream with the byte position, bounds checks and located errors.
class ByteReader {
 public:
  ByteReader(std::istream& in, std::string file) : in_(in), file_(std::move(file)) {
    // The size, when the stream can seek, lets counts be checked before anything is read or skipped.
    const std::istream::pos_type start = in_.tellg();
    if (start == std::istream::pos_type(-1)) {
      in_.clear();
      return;
    }
    if (in_.seekg(0, std::ios::end)) {
      const std::istream::pos_type end = in_.tellg();
      if (end != std::istream::pos_type(-1) && end >= start) size_ = static_cast<std::uint64_t>(end - start);
    }
    in_.clear();
    if (!in_.seekg(start)) {
      size_.reset();
      in_.clear();
    }
  }

  std::uint64_t pos() const { return pos_; }
  const std::optional<std::uint64_t>& size() const { return size_; }
  const std::string& file() const { return file_; }

  [[noreturn]] void fail(const std::string& field, const std::string& message, std::uint64_t at) const {
    throw Error(ExitCode::kDataError, fmt::format("{} at byte {}", message, at), Location{file_, 0, 0, field},
                /*yaml_key=*/true);
  }

  [[noreturn]] void truncated(const std::string& field, std::uint64_t wanted) const {
    fail(field, fmt::format("truncated GGUF file: {} bytes of {} expected", wanted, field), pos_);
  }

  /// Throws "truncated" unless `n` more bytes can exist (only known when the stream can seek).
  void require(std::uint64_t n, const std::string& field) const {
    if (size_ && n > *size_ - pos_) truncated(field, n);
  }

  void read(char* out, std::uint64_t n, const std::string& field) {
    require(n, field);
    in_.read(out, static_cast<std::streamsize>(n));
    if (static_cast<std::uint64_t>(in_.gcount()) != n) truncated(field, n);
    pos_ += n;
  }

  std::uint64_t uint(unsigned width, const std::string& field) {
    std::array<char, 8> buf{};
    read(buf.data(), width, field);
    std::uint64_t v = 0;
    for (unsigned i = 0; i < width; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(buf[i])) << (8 * i);
    return v;
  }
  std::uint32_t u32(const std::string& field) { return static_cast<std::uint32_t>(uint(4, field)); }
  std::uint64_t u64(const std::string& field) { return uint(8, field); }

  void skip(std::uint64_t n, const std::string& field) {
    require(n, field);
    if (size_) {
      in_.seekg(static_cast<std::streamoff>(n), std::ios::cur);
      if (!in_) truncated(field, n);
    } else {
      std::uint64_t left = n;
      while (left > 0) {
        const std::uint64_t chunk = std::min<std::uint64_t>(left, 1U << 20);
        in_.ignore(static_cast<std::streamsize>(chunk));
        if (static_cast<std::uint64_t>(in_.gcount()) != chunk) truncated(field, n);
        left -= chunk;
      }
    }
    pos_ += n;
  }

  /// The length of a GGUF string (u64), checked against the limit and the file size.
  std::uint64_t string_length(const std::string& field) {
    const std::uint64_t at = pos_;
    const std::uint64_t len = u64(field);
    if (len > kMaxString) fail(field, fmt::format("string length {} is over the 1 MiB limit", len), at);
    require(len, field);
    return len;
  }

  std::string string(const std::string& field) {
    const std::uint64_t len = string_length(field);
    std::string s(len, '\0');
    read(s.data(), len, field);
    return s;
  }

  void skip_string(const std::string& field) { skip(string_length(field), field); }

 private:
  std::istream& in_;
  std::string file_;
  std::uint64_t pos_ = 0;
  std::optional<std::uint64_t> size_;
};

// Keys read after `<architecture>.`; everything else in the metadata is skipped.
constexpr std::string_view kArchSuffixes[] = {
    "block_count",          "embedding_length",       "attention.head_count",     "attention.head_count_kv",
    "attention.key_length", "context_length",         "attention.sliding_window", "expert_count",
    "expert_used_count",    "attention.kv_lora_rank", "rope.dimension_count",     "vocab_size",
};
constexpr std::string_view kGeneralKeys[] = {"general.architecture", "general.name", "general.file_type",
                                             "general.alignment", "tokenizer.ggml.tokens"};

class GgufParser {
 public:
  GgufParser(std::istream& in, const std::string& file) : r_(in, file) {}

  ModelSpec parse() {
    read_header();
    for (std::uint64_t i = 0; i < kv_count_; ++i) read_kv(i);
    for (std::uint64_t i = 0; i < tensor_count_; ++i) read_tensor(i);
    check_data_fits();
    return build();
  }

 private:
  void read_header() {
    std::array<char, 4> magic{};
    r_.read(magic.data(), 4, "magic");
    if (std::string_view(magic.data(), 4) != "GGUF") {
      std::string shown;
      for (char c : magic) shown += (c >= 0x20 && c < 0x7f) ? std::string(1, c) : fmt::format("\\x{:02x}", c & 0xff);
      r_.fail("magic", fmt::format("not a GGUF file: it starts with \"{}\", not \"GGUF\"", shown), 0);
    }
    const std::uint32_t version = r_.u32("version");
    if (version == 0 || (version & 0xffffU) == 0) {
      const std::uint32_t swapped =
          ((version & 0xffU) << 24) | ((version & 0xff00U) << 8) | ((version >> 8) & 0xff00U) | (version >> 24);
      if (swapped >= 1 && swapped <= 3) {
        r_.fail("version",
                fmt::format("big-endian GGUF files are not supported (version {} stored big-endian)", swapped), 4);
      }
    }
    if (version == 1) r_.fail("version", "GGUF version 1 is not supported; convert the file to v2 or v3", 4);
    if (version != 2 && version != 3) {
      r_.fail("version", fmt::format("unsupported GGUF version {}; only versions 2 and 3 are read", version), 4);
    }
    tensor_count_ = r_.u64("tensor_count");
    if (tensor_count_ > kMaxTensors) {
      r_.fail("tensor_count", fmt::format("tensor_count {} is over the limit of {}", tensor_count_, kMaxTensors), 8);
    }
    kv_count_ = r_.u64("metadata_kv_count");
    if (kv_count_ > kMaxKv) {
      r_.fail("metadata_kv_count", fmt::format("metadata_kv_count {} is over the limit of {}", kv_count_, kMaxKv), 16);
    }
  }

  bool wanted(const std::string& key) const {
    for (auto k : kGeneralKeys) {
      if (key == k) return true;
    }
    const auto dot = key.find('.');
    if (dot == std::string::npos) return false;
    if (!arch_.empty() && std::string_view(key).substr(0, dot) != arch_) return false;
    const std::string_view suffix = std::string_view(key).substr(dot + 1);
    return std::find(std::begin(kArchSuffixes), std::end(kArchSuffixes), suffix) != std::end(kArchSuffixes);
  }

  void read_kv(std::uint64_t index) {
    std::string key = r_.string(fmt::format("metadata[{}].key", index));
    const std::uint64_t at = r_.pos();
    const std::uint32_t type = r_.u32(key);
    const bool keep = wanted(key);
    MetaValue v;
    if (type == kArray) {
      v = read_array(key, keep);
    } else if (type == kString) {
      v.kind = MetaValue::Kind::kString;
      if (keep) {
        v.text = r_.string(key);
      } else {
        r_.skip_string(key);
      }
    } else if (scalar_size(type) > 0) {
      v = read_scalar(type, key);
    } else {
      r_.fail(key, fmt::format("unknown GGUF value type {}", type), at);
    }
    if (!keep) return;
    if (key == "general.architecture") {
      if (v.kind != MetaValue::Kind::kString || v.text.empty()) {
        r_.fail(key, "general.architecture must be a non-empty string", at);
      }
      arch_ = v.text;
    }
    meta_[std::move(key)] = std::move(v);
  }

  MetaValue read_scalar(std::uint32_t type, const std::string& field) {
    MetaValue v;
    const std::uint64_t raw = r_.uint(static_cast<unsigned>(scalar_size(type)), field);
    switch (type) {
      case kUint8:
      case kUint16:
      case kUint32:
        v.integer = static_cast<std::int64_t>(raw);
        break;
      case kUint64:
        v.too_big = raw > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        v.integer = v.too_big ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(raw);
        break;
      case kInt8:
        // Two's complement by hand: a signed char widened to int64 is what bugprone-signed-char-misuse flags.
        v.integer = static_cast<std::int64_t>(raw & 0xffU) - ((raw & 0x80U) != 0 ? 256 : 0);
        break;
      case kInt16:
        v.integer = static_cast<std::int16_t>(raw);
        break;
      case kInt32:
        v.integer = static_cast<std::int32_t>(raw);
        break;
      case kInt64:
        v.integer = static_cast<std::int64_t>(raw);
        break;
      case kFloat32:
      case kFloat64:
        v.kind = MetaValue::Kind::kFloat;
        break;
      case kBool:
        v.kind = MetaValue::Kind::kBool;
        v.integer = raw != 0 ? 1 : 0;
        break;
      default:
        break;
    }
    return v;
  }

  /// Reads past an array; keeps its count and, for integers of a kept key, its largest element.
  MetaValue read_array(const std::string& key, bool keep) {
    const std::uint64_t at = r_.pos();
    const std::uint32_t elem = r_.u32(key);
    const std::uint64_t count = r_.u64(key);
    if (count > kMaxArray) {
      r_.fail(key, fmt::format("array of {} elements is over the limit of {}", count, kMaxArray), at);
    }
    MetaValue v;
    v.kind = MetaValue::Kind::kArray;
    v.count = count;
    if (elem == kArray) r_.fail(key, "nested arrays are not supported", at);
    if (elem == kString) {
      r_.require(count * 8, key);  // every string has at least its 8-byte length
      for (std::uint64_t i = 0; i < count; ++i) r_.skip_string(key);
      return v;
    }
    const std::uint64_t size = scalar_size(elem);
    if (size == 0) r_.fail(key, fmt::format("unknown GGUF array element type {}", elem), at);
    r_.require(count * size, key);
    if (!keep || !is_integer_type(elem)) {
      r_.skip(count * size, key);
      return v;
    }
    v.integer_array = true;
    for (std::uint64_t i = 0; i < count; ++i) {
      const MetaValue e = read_scalar(elem, key);
      v.too_big = v.too_big || e.too_big;
      v.integer = i == 0 ? e.integer : std::max(v.integer, e.integer);
    }
    return v;
  }

  void read_tensor(std::uint64_t index) {
    const std::string name = r_.string(fmt::format("tensor[{}].name", index));
    std::uint64_t at = r_.pos();
    const std::uint32_t n_dims = r_.u32(name);
    if (n_dims > kMaxDims) {
      r_.fail(name, fmt::format("tensor '{}' has {} dimensions; GGUF allows at most {}", name, n_dims, kMaxDims), at);
    }
    std::array<std::uint64_t, kMaxDims> dims{1, 1, 1, 1};
    std::uint64_t elements = 1;
    for (std::uint32_t d = 0; d < n_dims; ++d) {
      at = r_.pos();
      dims[d] = r_.u64(name);
      if (dims[d] == 0) r_.fail(name, fmt::format("tensor '{}' has a dimension of 0", name), at);
      if (dims[d] > kMaxElements / elements) {
        r_.fail(name, fmt::format("tensor '{}' has more than 2^50 elements", name), at);
      }
      elements *= dims[d];
    }
    at = r_.pos();
    const std::uint32_t type_id = r_.u32(name);
    const GgmlType* type = find_ggml_type(type_id);
    if (type == nullptr) r_.fail(name, fmt::format("tensor '{}' has unknown ggml type {}", name, type_id), at);
    if (dims[0] % type->block != 0) {
      r_.fail(name,
              fmt::format("tensor '{}' has rows of {} elements, not a multiple of the {} block size {}", name, dims[0],
                          type->name, type->block),
              at);
    }
    at = r_.pos();
    const std::uint64_t offset = r_.u64(name);
    const std::uint64_t bytes = elements / type->block * type->bytes;  // <= 8 x 2^50: no overflow

    if (elements > kMaxTotalElements - total_elements_) {
      r_.fail(name, "the tensors hold more than 2^53 elements together", at);
    }
    total_elements_ += elements;
    total_bytes_ += bytes;
    bytes_by_type_[type->id] += bytes;
    if (name.find("_exps") != std::string::npos) expert_elements_ += elements;
    if (name == "output.weight") has_output_ = true;
    if (name == "token_embd.weight" && n_dims >= 2) embedding_rows_ = dims[1];
    if (offset > std::numeric_limits<std::uint64_t>::max() - bytes) {
      r_.fail(name, fmt::format("tensor '{}' has an impossible data offset {}", name, offset), at);
    }
    if (offset + bytes > data_end_) {
      data_end_ = offset + bytes;
      last_tensor_ = name;
    }
  }

  /// A partial download keeps a whole header: check that the data the table describes is there too.
  void check_data_fits() const {
    const std::uint64_t alignment = alignment_or_default();
    if (!r_.size() || tensor_count_ == 0) return;
    const std::uint64_t size = *r_.size();
    const std::uint64_t pad = (alignment - r_.pos() % alignment) % alignment;
    const std::uint64_t data_start = r_.pos() + pad;
    if (data_start > size || data_end_ > size - data_start) {
      r_.fail(last_tensor_,
              fmt::format("truncated GGUF file: the tensor data needs {} bytes from byte {} (through tensor '{}'); "
                          "the file ends",
                          data_end_, data_start, last_tensor_),
              size);
    }
  }

  std::uint64_t alignment_or_default() const {
    const auto it = meta_.find("general.alignment");
    if (it == meta_.end()) return kDefaultAlignment;
    const MetaValue& v = it->second;
    if (v.kind != MetaValue::Kind::kInteger || v.too_big || v.integer <= 0 ||
        !std::has_single_bit(static_cast<std::uint64_t>(v.integer))) {
      throw Error(ExitCode::kDataError, "general.alignment must be a positive power of two",
                  Location{r_.file(), 0, 0, "general.alignment"}, /*yaml_key=*/true);
    }
    return static_cast<std::uint64_t>(v.integer);
  }

  [[noreturn]] void bad_key(const std::string& key, const std::string& message) const {
    throw Error(ExitCode::kDataError, message, Location{r_.file(), 0, 0, key}, /*yaml_key=*/true);
  }

  /// The integer at `<arch>.<suffix>` in [min, max]; an integer array gives its largest element when
  /// `array_max` (per-layer values). nullopt when absent.
  std::optional<std::int64_t> arch_int(std::string_view suffix, std::int64_t min, std::int64_t max,
                                       bool array_max = false) const {
    const std::string key = fmt::format("{}.{}", arch_, suffix);
    const auto it = meta_.find(key);
    if (it == meta_.end()) return std::nullopt;
    return checked_int(key, it->second, min, max, array_max);
  }

  std::int64_t checked_int(const std::string& key, const MetaValue& v, std::int64_t min, std::int64_t max,
                           bool array_max) const {
    const bool usable = v.kind == MetaValue::Kind::kInteger ||
                        (array_max && v.kind == MetaValue::Kind::kArray && v.integer_array && v.count > 0);
    if (!usable) bad_key(key, fmt::format("{} must be an integer, not {}", key, kind_name(v.kind)));
    if (v.too_big || v.integer > max) {
      bad_key(key, fmt::format("{} is {}, over the limit of {}", key,
                               v.too_big ? "over 2^63" : std::to_string(v.integer), max));
    }
    if (v.integer < min) bad_key(key, fmt::format("{} is {}; it must be at least {}", key, v.integer, min));
    return v.integer;
  }

  std::int64_t required_int(std::string_view suffix, std::int64_t max, bool array_max = false) const {
    const auto v = arch_int(suffix, 1, max, array_max);
    if (!v) {
      const std::string key = fmt::format("{}.{}", arch_, suffix);
      bad_key(key, fmt::format("missing key {}: the GGUF metadata must give it", key));
    }
    return *v;
  }

  std::string weight_quant(std::optional<std::int64_t> file_type) const {
    if (file_type) {
      if (const char* name = file_type_name(*file_type)) return name;
    }
    std::size_t best = 0;
    for (std::size_t id = 1; id < kGgmlTypeSlots; ++id) {
      if (bytes_by_type_[id] > bytes_by_type_[best]) best = id;
    }
    const GgmlType* type = find_ggml_type(static_cast<std::uint32_t>(best));
    return bytes_by_type_[best] > 0 && type != nullptr ? type->name : "";
  }

  ModelSpec build() const {
    if (arch_.empty())
      bad_key("general.architecture", "missing key general.architecture: the GGUF metadata must give it");
    ModelSpec m;
    m.layers = static_cast<int>(required_int("block_count", kMaxLayers));
    m.hidden = static_cast<int>(required_int("embedding_length", kMaxHidden));
    m.heads = static_cast<int>(required_int("attention.head_count", kMaxHeads, /*array_max=*/true));
    m.kv_heads = static_cast<int>(arch_int("attention.head_count_kv", 1, kMaxHeads, true).value_or(m.heads));
    m.head_dim = static_cast<int>(arch_int("attention.key_length", 1, kMaxHidden).value_or(m.hidden / m.heads));
    if (m.head_dim < 1) {
      // More heads than embedding width: hidden / heads is 0, and the KV cache would come out empty.
      bad_key(fmt::format("{}.attention.key_length", arch_),
              fmt::format("{} attention heads on an embedding of {} leave no head dimension; the file must give "
                          "{}.attention.key_length",
                          m.heads, m.hidden, arch_));
    }
    m.max_context = static_cast<int>(arch_int("context_length", 1, kMaxContext).value_or(0));

    m.sliding_window = static_cast<int>(arch_int("attention.sliding_window", 0, kMaxContext).value_or(0));
    if (m.sliding_window > 0) {
      if (arch_ == "gemma2") {
        m.sliding_window_layers = (m.layers + 1) / 2;  // even layers are local, odd ones global
      } else if (arch_ == "gemma3") {
        m.sliding_window_layers = m.layers - m.layers / 6;  // every sixth layer is global
      } else {
        m.sliding_window_layers = m.layers;
      }
    }

    m.experts = static_cast<int>(arch_int("expert_count", 0, kMaxExperts).value_or(0));
    m.experts_per_token = static_cast<int>(arch_int("expert_used_count", 0, kMaxExperts).value_or(0));
    if (m.experts_per_token > m.experts) {
      bad_key(
          fmt::format("{}.expert_used_count", arch_),
          fmt::format("{}.expert_used_count is {}, more than the {} experts", arch_, m.experts_per_token, m.experts));
    }
    m.kv_lora_rank = static_cast<int>(arch_int("attention.kv_lora_rank", 0, kMaxHidden).value_or(0));
    if (m.kv_lora_rank > 0) {
      m.qk_rope_head_dim = static_cast<int>(arch_int("rope.dimension_count", 0, kMaxHidden).value_or(0));
    }

    if (const auto v = arch_int("vocab_size", 1, kMaxVocab)) {
      m.vocab = static_cast<int>(*v);
    } else if (const auto it = meta_.find("tokenizer.ggml.tokens"); it != meta_.end()) {
      if (it->second.kind != MetaValue::Kind::kArray) bad_key(it->first, "tokenizer.ggml.tokens must be an array");
      if (it->second.count > static_cast<std::uint64_t>(kMaxVocab)) {
        bad_key(it->first, fmt::format("{} tokens, over the limit of {}", it->second.count, kMaxVocab));
      }
      m.vocab = static_cast<int>(it->second.count);
    } else if (embedding_rows_ > 0 && embedding_rows_ <= static_cast<std::uint64_t>(kMaxVocab)) {
      m.vocab = static_cast<int>(embedding_rows_);
    }
    m.tied_embeddings = !has_output_;

    m.params = static_cast<double>(total_elements_);
    m.active_params = m.params;
    if (m.experts > 0 && m.experts_per_token > 0) {
      const double unused_share = 1.0 - static_cast<double>(m.experts_per_token) / static_cast<double>(m.experts);
      m.active_params = m.params - static_cast<double>(expert_elements_) * unused_share;
    }
    m.weight_bytes = static_cast<double>(total_bytes_);
    std::optional<std::int64_t> file_type;
    if (const auto it = meta_.find("general.file_type"); it != meta_.end()) {
      file_type = checked_int(it->first, it->second, 0, std::numeric_limits<std::int32_t>::max(), false);
    }
    m.weight_quant = weight_quant(file_type);

    const auto name = meta_.find("general.name");
    if (name != meta_.end() && name->second.kind == MetaValue::Kind::kString && !name->second.text.empty()) {
      m.id = name->second.text;
    } else {
      m.id = std::filesystem::path(r_.file()).stem().string();
    }
    m.name = m.id;
    m.source = "GGUF: " + r_.file();
    return m;
  }

  ByteReader r_;
  std::uint64_t tensor_count_ = 0;
  std::uint64_t kv_count_ = 0;
  std::string arch_;
  std::map<std::string, MetaValue> meta_;  // only the keys `wanted` keeps
  std::uint64_t total_elements_ = 0;
  std::uint64_t total_bytes_ = 0;
  std::uint64_t expert_elements_ = 0;
  std::array<std::uint64_t, kGgmlTypeSlots> bytes_by_type_{};
  bool has_output_ = false;
  std::uint64_t embedding_rows_ = 0;
  std::uint64_t data_end_ = 0;  // end of the furthest tensor's data, relative to the data section
  std::string last_tensor_;
};

}  // namespace

ModelSpec read_gguf(std::istream& in, const std::string& file) {
  try {
    return GgufParser(in, file).parse();
  } catch (const std::ios_base::failure& e) {
    throw Error(ExitCode::kDataError, fmt::format("cannot read GGUF file: {}", e.what()), Location{file});
  }
}

ModelSpec read_gguf_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    const bool missing = !ec || ec == std::errc::no_such_file_or_directory;
    throw Error(ExitCode::kDataError, missing ? "no such GGUF file" : "cannot access the GGUF file: " + ec.message(),
                Location{path});
  }
  if (std::filesystem::is_directory(status)) {
    throw Error(ExitCode::kDataError, "is a folder, not a GGUF file", Location{path});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::kDataError, "cannot open the GGUF file for reading", Location{path});
  return read_gguf(in, path);
}

}  // namespace glyphsieve
