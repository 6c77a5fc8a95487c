// normalize stage: per-row lookups into a bounded per-title cache in front of the Matcher.
#include "glyphsieve/stages/normalize.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"

namespace glyphsieve {
namespace {
// Distinct titles kept; a full shard is dropped and refills with what is current. Matching a title
// costs microseconds, so the cache only has to hold the titles that repeat. Memory: an entry is the
// title and a pointer (results are interned: a few hundred distinct results serve every title), about
// 200 bytes, so the cache stays under ~50 MB (docs/performance.md).
constexpr std::size_t kShards = 64;
constexpr std::size_t kShardLimit = (1u << 18) / kShards;

// The identity of a result, for interning.
std::string result_key(const MatchResult& r) {
  return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", r.canonical_model, r.match_type, r.score, r.is_valid_gpu,
                     r.unknown_reason, r.gpu_count);
}
}  // namespace

// Title -> result for every clone of the stage, sharded so that threads rarely wait for one another.
// Results are interned and never freed, so a Cached pointer stays valid for the stage's life.
struct NormalizeStage::SharedCache {
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Cached> map;
  };
  std::array<Shard, kShards> shards;
  std::mutex results_mutex;
  std::unordered_map<std::string, std::unique_ptr<const MatchResult>> results;  // result_key -> the result

  Cached intern(MatchResult r) {
    std::string key = result_key(r);
    const std::lock_guard lock(results_mutex);
    auto& slot = results[std::move(key)];
    if (!slot) slot = std::make_unique<const MatchResult>(std::move(r));
    return slot.get();
  }
};

NormalizeStage::NormalizeStage(const GpuRegistry& registry, const ModelPatterns& patterns, int min_confidence,
                               bool filter_invalid)
    : NormalizeStage(std::make_shared<const Matcher>(registry, patterns, min_confidence), filter_invalid) {}

NormalizeStage::NormalizeStage(std::shared_ptr<const Matcher> matcher, bool filter_invalid)
    : matcher_(std::move(matcher)), shared_(std::make_shared<SharedCache>()), filter_invalid_(filter_invalid) {}

void NormalizeStage::bind(Header& header) {
  title_ = header.find("title");
  model_ = header.find("model");
  if (!title_ && !model_) {
    throw_data_error(
        "normalize needs a 'title' or 'model' column (run 'glyphsieve clean' first to map header spellings)");
  }
  out_model_ = header.ensure("canonical_model");
  out_type_ = header.ensure("match_type");
  out_score_ = header.ensure("match_score");
  out_valid_ = header.ensure("is_valid_gpu");
  out_reason_ = header.ensure("unknown_reason");
  out_count_ = header.ensure("gpu_count");
}

NormalizeStage::Cached NormalizeStage::lookup(const std::string& title) {
  if (title.size() > kMaxMatchedTitleBytes) {
    // Cut at a UTF-8 character boundary; the cached result is that of the cut title.
    std::size_t n = kMaxMatchedTitleBytes;
    while (n > 0 && (static_cast<unsigned char>(title[n]) & 0xC0u) == 0x80u) --n;
    return lookup(title.substr(0, n));
  }
  SharedCache::Shard& shard = shared_->shards[(std::hash<std::string>{}(title) >> 20) % kShards];
  {
    const std::lock_guard lock(shard.mutex);
    if (auto it = shard.map.find(title); it != shard.map.end()) return it->second;
  }
  // Matched without the lock; a thread that matched the same title meanwhile got the same result.
  const Cached r = shared_->intern(matcher_->match(title));
  const std::lock_guard lock(shard.mutex);
  if (shard.map.size() >= kShardLimit) shard.map.clear();
  shard.map.emplace(title, r);
  return r;
}

RowOutcome NormalizeStage::process(Row& row, std::int64_t /*line*/) {
  ++rows_;
  const std::string& title = title_ ? row[*title_] : row[*model_];
  const MatchResult* r = lookup(title);
  MatchResult merged;  // only used when the model column decides
  // A title that names no model (but is not an accessory) may still have a usable model column.
  if (r->canonical_model == kUnknownModel && r->match_type == "none" && model_ && title_ && !row[*model_].empty() &&
      row[*model_] != title && (r->is_valid_gpu || r->unknown_reason == "not recognised as a GPU listing")) {
    const int count = r->gpu_count;
    const Cached by_model = lookup(row[*model_]);
    if (by_model->canonical_model != kUnknownModel) {
      merged = *by_model;
      merged.gpu_count = std::max(count, by_model->gpu_count);
      r = &merged;
    }
  }
  row[out_model_] = r->canonical_model;
  row[out_type_] = r->match_type;
  assign_fixed(row[out_score_], r->score, 2);
  row[out_valid_] = r->is_valid_gpu ? "true" : "false";
  row[out_reason_] = r->unknown_reason;
  row[out_count_] = std::to_string(r->gpu_count);
  if (r->canonical_model != kUnknownModel) ++matched_;
  const bool valid = r->is_valid_gpu;
  if (valid) ++valid_;
  if (filter_invalid_ && !valid) {
    ++filtered_;
    return RowOutcome::filter("not a GPU");
  }
  return RowOutcome::keep();
}

void NormalizeStage::merge(const Stage& other) {
  const auto& o = dynamic_cast<const NormalizeStage&>(other);
  rows_ += o.rows_;
  matched_ += o.matched_;
  valid_ += o.valid_;
  filtered_ += o.filtered_;
}

std::string NormalizeStage::describe() const {
  return fmt::format("title -> canonical_model, fuzzy matches below {}% are UNKNOWN; non-GPU rows {}",
                     matcher_->min_confidence(), filter_invalid_ ? "dropped (--filter-invalid)" : "kept and marked");
}

std::string NormalizeStage::summary() const {
  const double pct = rows_ ? 100.0 * static_cast<double>(matched_) / static_cast<double>(rows_) : 0.0;
  std::string s =
      fmt::format("matched {} ({:.1f}%), valid GPUs {}, not GPUs {}", matched_, pct, valid_, rows_ - valid_);
  if (filter_invalid_) s += fmt::format(", filtered {}", filtered_);
  return s;
}

}  // namespace glyphsieve
