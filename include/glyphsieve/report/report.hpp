// The insight report: collects scored listing rows as they stream by, then summarises them (prices per model,
// top listings by score and by score per dollar, price anomalies, duplicates, data quality) as Markdown or JSON.
// Pure library: header and rows in, strings out; src/cli/ opens the files.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glyphsieve::report {

/// Columns the report cannot work without; every other column is optional (absent = every cell empty).
inline constexpr std::array<std::string_view, 4> kRequiredColumns = {"title", "canonical_model", "is_valid_gpu",
                                                                     "score"};
/// Header columns named `<kCapacityPrefix><key>` (e.g. `quantization_capacity.7b`) add a quantization-capacity
/// column per key, in header order. Without such columns the report does not mention capacity at all.
inline constexpr std::string_view kCapacityPrefix = "quantization_capacity.";
/// A model needs at least this many priced listings before its listings are checked for price anomalies.
inline constexpr std::int64_t kAnomalyMinListings = 3;
/// The non-GPU breakdown in the data-quality section lists at most this many reasons.
inline constexpr std::size_t kNonGpuReasonsShown = 10;

struct ReportOptions {
  int top = 10;                       ///< N for the top lists (and the other capped lists); >= 0
  std::optional<double> price_limit;  ///< USD per card; "best value under the limit" section only when set; >= 0
  double anomaly_ratio = 2.0;  ///< a listing is a price anomaly when its unit price is > ratio x or < 1/ratio x its
                               ///< model's median (models with >= kAnomalyMinListings priced listings); > 1
  std::string source;          ///< input name shown in the report header (e.g. "scored.csv"); no timestamps
};

/// Median of `values`: the middle value for an odd count, the mean of the two middle values for an even count,
/// empty for no values. Every median in the report (summary, per model, anomaly baseline) is this one.
std::optional<double> median(std::vector<double> values);

/// Min / median / mean / max of a set of unit prices in USD; all empty when count == 0.
struct PriceStats {
  std::int64_t count = 0;  ///< listings with a unit price
  std::optional<double> min, median, mean, max;
};

/// Section 1. "Valid GPU" = is_valid_gpu "true" and a canonical_model other than UNKNOWN (or empty).
/// The statistics of sections 2-6 cover the *analysed* listings: valid GPUs that were written and are not flagged
/// DUPLICATE (so a listing seen twice is counted once, and the report describes the output file).
struct Summary {
  std::int64_t listings = 0;         ///< rows seen = written + filtered (rejected rows are in DataQuality)
  std::int64_t written = 0;          ///< rows added with written = true
  std::int64_t filtered = 0;         ///< rows added with written = false
  std::int64_t valid_gpus = 0;       ///< valid GPU rows among all rows seen
  std::int64_t analysed = 0;         ///< valid GPUs, written, not DUPLICATE: the population of sections 2-6
  std::int64_t distinct_models = 0;  ///< distinct canonical models among the analysed listings
  PriceStats unit_price;             ///< over analysed listings with a unit price
};

/// Section 2: one line per canonical model of the analysed listings.
struct ModelSummary {
  std::string model;
  std::int64_t count = 0;   ///< analysed listings of this model
  std::int64_t priced = 0;  ///< of which with a unit price
  std::optional<double> min_price, median_price, max_price;
  std::optional<double> vram_gb;     ///< first positive vram_gb among the model's listings
  std::optional<double> usd_per_gb;  ///< median_price / vram_gb
  std::optional<double> best_score;
  std::vector<std::optional<std::int64_t>> capacity;  ///< per Report::capacity_keys: first non-empty value
};

/// One listing as shown in the top lists and the anomalies.
struct ListingEntry {
  std::int64_t line = 0;  ///< input line number
  std::string model;
  std::optional<double> score;
  std::optional<double> unit_price;      ///< USD per card
  std::optional<double> score_per_kusd;  ///< score per $1,000 of unit price (needs both)
  std::string seller;
  std::string title;                                  ///< as written; the Markdown renderer shortens long titles
  std::vector<std::optional<std::int64_t>> capacity;  ///< per Report::capacity_keys (empty when none)
};

/// Section 5, only when ReportOptions::price_limit is set.
struct PriceLimitSection {
  double limit = 0;               ///< USD per card, inclusive
  std::int64_t qualifying = 0;    ///< scored analysed listings with unit price <= limit
  std::vector<ListingEntry> top;  ///< best `top` of them by score
};

struct Anomaly {
  ListingEntry listing;
  double model_median = 0;  ///< median unit price of the listing's model
  double ratio = 0;         ///< unit price / model median
};

/// Section 6.
struct AnomalySection {
  double threshold = 2.0;           ///< ReportOptions::anomaly_ratio
  std::int64_t models_checked = 0;  ///< models with >= kAnomalyMinListings priced listings
  std::int64_t total = 0;           ///< anomalies found; shown.size() <= top, the rest are "and K more"
  std::vector<Anomaly> shown;       ///< sorted by |log ratio| desc, then line
};

struct DuplicateExample {
  std::int64_t line = 0;
  std::optional<std::int64_t> duplicate_of;  ///< input line of the primary (empty when unparseable)
  std::string title;
};

/// Section 7. Counts every row flagged DUPLICATE, written or dropped.
struct DuplicateSection {
  bool dedup_ran = false;  ///< the header has a duplicate_flag column
  std::int64_t count = 0;
  std::vector<DuplicateExample> shown;  ///< the first `top` in input order
};

struct ReasonCount {
  std::string reason;  ///< the unknown_reason without its "non-GPU item:" prefix
  std::int64_t count = 0;
};

struct UnmatchedTitle {
  std::string title;
  std::string reason;  ///< unknown_reason of its first occurrence
  std::int64_t count = 0;
};

/// Section 8. Counts cover every row seen (written or filtered) unless said otherwise.
struct DataQuality {
  std::int64_t rejected = 0;                     ///< sum of add_rejected()
  std::int64_t non_gpu = 0;                      ///< is_valid_gpu false and unknown_reason "non-GPU item..."
  std::int64_t non_gpu_reasons_total = 0;        ///< distinct reasons
  std::vector<ReasonCount> non_gpu_reasons;      ///< top kNonGpuReasonsShown by count desc, then reason
  std::int64_t unmatched = 0;                    ///< canonical_model UNKNOWN (or empty) and not non-GPU
  std::int64_t unmatched_titles_total = 0;       ///< distinct titles among them
  std::vector<UnmatchedTitle> unmatched_titles;  ///< top `top` by count desc, then title
  std::int64_t without_price = 0;                ///< rows without a usable unit_price_usd
  std::int64_t analysed_without_price = 0;       ///< of the analysed listings
};

/// Everything the renderers print, so Markdown and JSON always agree. Sorting and capping are done here.
struct Report {
  ReportOptions options;                   ///< as given to finish()
  std::vector<std::string> capacity_keys;  ///< empty: capacity is not mentioned anywhere
  Summary summary;
  std::vector<ModelSummary> models;        ///< by count desc, then model name
  std::vector<ListingEntry> top_by_score;  ///< score desc, unit price asc (missing last), line asc
  std::vector<ListingEntry> top_by_value;  ///< score per $1k desc, then as top_by_score
  std::optional<PriceLimitSection> under_price_limit;
  AnomalySection anomalies;
  DuplicateSection duplicates;
  DataQuality quality;
};

/// Collects rows as they stream by (memory: a small record per analysed listing, per duplicate and per distinct
/// unmatched title). Binds columns by name once. Cell parsing never throws: a number that does not parse
/// (score "abc", price "1,2O0") or is not finite counts as empty; unit prices and vram must also be > 0;
/// a row shorter than the header reads its missing cells as empty.
class ReportCollector {
 public:
  /// Throws glyphsieve::Error (ExitCode::kDataError) naming the missing column when the header lacks one of
  /// kRequiredColumns. `input_name` (optional) is the file named in that error.
  explicit ReportCollector(const std::vector<std::string>& header, std::string_view input_name = {});

  /// One listing row as written (or filtered, e.g. a non-GPU row dropped by --filter-invalid or a dropped
  /// duplicate: `written` false). `line` = input line number, used for ties and shown in the report.
  void add(const std::vector<std::string>& row, std::int64_t line, bool written = true);
  /// Rows rejected before reaching the report (bad rows), for the data-quality section.
  void add_rejected(std::int64_t count);

  /// Builds the report. Deterministic: same rows in the same order -> identical result.
  /// Throws glyphsieve::Error (ExitCode::kUsage) for options out of range (top < 0, anomaly_ratio <= 1 or not
  /// finite, price_limit < 0 or not finite).
  Report finish(const ReportOptions& options) const;

 private:
  struct Record {  // one analysed listing
    std::int64_t line = 0;
    std::uint32_t model = 0;   // index into model_names_
    std::uint32_t seller = 0;  // index into seller_names_
    std::optional<double> score, unit_price, vram_gb;
    std::string title;
  };
  struct Unmatched {
    std::string reason;
    std::int64_t count = 0;
  };

  static std::uint32_t intern(std::string_view name, std::vector<std::string>& names,
                              std::map<std::string, std::uint32_t, std::less<>>& ids);
  ListingEntry entry(std::size_t record) const;

  // Column indexes, bound once.
  std::size_t title_ = 0, model_ = 0, valid_ = 0, score_ = 0;
  std::optional<std::size_t> reason_, unit_price_, vram_, seller_, dup_flag_, dup_of_;
  std::vector<std::string> capacity_keys_;
  std::vector<std::size_t> capacity_columns_;

  Summary counts_;              // listings, written, filtered, valid_gpus, analysed
  DataQuality quality_counts_;  // rejected, non_gpu, unmatched, without_price, analysed_without_price
  std::vector<Record> records_;
  std::vector<std::optional<std::int64_t>> capacity_values_;  // records_.size() x capacity_keys_.size()
  std::vector<std::string> model_names_, seller_names_;
  std::map<std::string, std::uint32_t, std::less<>> model_ids_, seller_ids_;
  std::map<std::string, std::int64_t, std::less<>> non_gpu_reasons_;
  std::map<std::string, Unmatched, std::less<>> unmatched_;
  std::vector<DuplicateExample> duplicates_;
};

/// GitHub-flavoured Markdown: prices as $1,299.00, `|` escaped in cells, titles over 70 characters shortened
/// with "…". Ends with a newline.
std::string render_markdown(const Report& report);
/// The same data as JSON: pretty-printed (2-space indent), stable key order, trailing newline. Prices and
/// ratios are plain numbers rounded as in the Markdown (cents; score to 0.1); unknown values are null.
std::string render_json(const Report& report);

}  // namespace glyphsieve::report
