// The insight report: collects scored listing rows as they stream by, then summarises them (prices per model,
// top listings by score and by score per dollar, price anomalies, duplicates, data quality) as Markdown or JSON.
// Pure library: header and rows in, strings out; src/cli/ opens the files.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "glyphsieve/capacity/memory.hpp"
#include "glyphsieve/core/frontier.hpp"
#include "glyphsieve/core/hash.hpp"
#include "glyphsieve/report/kpi.hpp"

namespace glyphsieve::report {

/// Columns the report cannot work without; every other column is optional (absent = every cell empty).
inline constexpr std::array<std::string_view, 4> kRequiredColumns = {"title", "canonical_model", "is_valid_gpu",
                                                                     "score"};
/// Header columns named `<kCapacityPrefix><key>` (e.g. `quantization_capacity.7b`) add a quantization-capacity
/// column per key, in header order. Without such columns the report does not mention capacity at all.
inline constexpr std::string_view kCapacityPrefix = "quantization_capacity.";
/// A model needs at least this many priced listings before its listings are checked for price anomalies.
inline constexpr std::int64_t kAnomalyMinListings = 3;
/// The capacity matrix keeps this many cheapest listings per hardware, to pass over price anomalies.
inline constexpr std::size_t kOffersPerHardware = 8;
/// The non-GPU breakdown in the data-quality section lists at most this many reasons.
inline constexpr std::size_t kNonGpuReasonsShown = 10;
/// The price/score chart draws every frontier listing and a deterministic sample of at most this many others.
inline constexpr std::size_t kScatterSample = 1500;
/// The Markdown frontier table shows at most this many listings (JSON and the chart have them all).
inline constexpr std::size_t kFrontierShown = 40;

/// What the capacity matrix needs, resolved from the resources by the caller: the models (rows), the
/// quantizations (columns), the context and the memory model. See Report::capacity_matrix.
struct CapacityMatrixSpec {
  std::vector<const ModelSpec*> models;  ///< non-null, outliving the collector
  std::vector<const QuantType*> quants;  ///< non-null, outliving the collector
  std::int64_t context = 8192;           ///< tokens per instance (one sequence, f16 KV)
  MemoryModel memory;
};

struct ReportOptions {
  int top = 10;                       ///< N for the top lists (and the other capped lists); >= 0
  std::optional<double> price_limit;  ///< USD per card; "best value under the limit" section only when set; >= 0
  double anomaly_ratio = 2.0;  ///< a listing is a price anomaly when its unit price is > ratio x or < 1/ratio x its
                               ///< model's median (models with >= kAnomalyMinListings priced listings); > 1
  std::string source;          ///< input name shown in the report header (e.g. "scored.csv"); no timestamps
  /// false (default): invalid, unknown-model and duplicate listings are left out of every view (statistics,
  /// top lists, frontier, matrix); true: every written listing is analysed. The data-quality counts and
  /// the KPIs cover every row either way.
  bool include_invalid = false;
  /// Set: the report has a capacity matrix (when the header has vram_gb or memory_total_mib).
  std::shared_ptr<const CapacityMatrixSpec> capacity_matrix;
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
/// DUPLICATE (so a listing seen twice is counted once, and the report describes the output file); with
/// ReportOptions::include_invalid, every written listing.
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

/// One cell of the capacity matrix: the cheapest analysed listing that serves a model at a quantization.
struct CapacityCell {
  std::string quant;
  bool served = false;                 ///< false: no listing holds one instance (the fields below are unset)
  std::int64_t line = 0;               ///< input line of the listing
  std::string title;                   ///< its title, as written
  std::string gpu;                     ///< its canonical_model
  std::int64_t gpu_count = 1;          ///< cards in the listing
  std::int64_t instances = 0;          ///< instances the listing holds
  double usd_per_instance = 0;         ///< listing price in USD (unit price x gpu_count) / instances
  std::optional<double> tokens_per_s;  ///< decode upper bound of one instance (needs memory_bandwidth_gbps)
};

struct CapacityRow {
  std::string model;                ///< catalogue id
  std::vector<CapacityCell> cells;  ///< one per CapacityMatrix::quants, in order
};

/// Section 9, only with ReportOptions::capacity_matrix and a vram_gb (or memory_total_mib) column. Candidates are
/// the analysed listings with a unit price and a memory size; the cheapest listing per hardware (canonical model,
/// gpu_count, memory) stands for all of that hardware, unless its unit price is below 1/anomaly_ratio of its model's
/// median (models with >= kAnomalyMinListings priced listings): then the next cheapest of that hardware does (of
/// its kOffersPerHardware cheapest). Ties on $/instance go to the earlier line.
struct CapacityMatrix {
  std::int64_t context = 0;
  std::vector<std::string> quants;
  std::int64_t candidates = 0;    ///< analysed listings considered
  std::int64_t hardware = 0;      ///< distinct hardware among them
  std::int64_t skipped = 0;       ///< cheap listings passed over as price anomalies (see above)
  std::vector<CapacityRow> rows;  ///< catalogue order
};

/// One listing in the price/score chart.
struct ScatterPoint {
  double unit_price = 0;  ///< USD per card, > 0
  double score = 0;
  std::int64_t line = 0;
  std::string model, title;
  bool on_frontier = false;
};

/// The price/score Pareto frontier of the analysed listings with a score and a unit price: those no other
/// such listing beats on both (at most the same unit price and at least the same score, better in one).
struct FrontierSection {
  std::int64_t candidates = 0;         ///< analysed listings with a score and a unit price
  std::vector<ListingEntry> listings;  ///< the frontier by unit price ascending, ties by line
  /// Per listing: unit price / its model's median when that makes it a price anomaly (as in section 6), else
  /// empty. The frontier is pure Pareto; a $19 typo for a $200 card lands on it and is flagged here.
  std::vector<std::optional<double>> anomaly_ratio;
  std::vector<ScatterPoint> plotted;  ///< the frontier, plus a sample of the other candidates (at most
                                      ///< kScatterSample, chosen by a hash of their input order: the same
                                      ///< rows give the same sample), by unit price, then line
};

/// Everything the renderers print, so Markdown and JSON always agree. Sorting and capping are done here.
struct Report {
  ReportOptions options;                   ///< as given to the ReportCollector
  std::vector<std::string> capacity_keys;  ///< empty: capacity is not mentioned anywhere
  Summary summary;
  std::vector<ModelSummary> models;        ///< by count desc, then model name
  std::vector<ListingEntry> top_by_score;  ///< score desc, unit price asc (missing last), line asc
  std::vector<ListingEntry> top_by_value;  ///< score per $1k desc, then as top_by_score
  std::optional<PriceLimitSection> under_price_limit;
  AnomalySection anomalies;
  DuplicateSection duplicates;
  DataQuality quality;
  std::optional<CapacityMatrix> capacity_matrix;
  FrontierSection frontier;
  /// KPIs over every row seen; finish() fills all but the timings, which the caller adds (run_pipeline).
  Kpis kpis;
  std::vector<GateResult> gates;         ///< set by the caller: --fail-if results (empty: none asked)
  std::optional<Provenance> provenance;  ///< set by the caller
};

/// Throws glyphsieve::Error (ExitCode::kUsage) for options out of range: top < 0, anomaly_ratio <= 1 or not
/// finite, price_limit < 0 or not finite. The ReportCollector constructor calls it; the CLI calls it before it
/// creates any output file.
void check_options(const ReportOptions& options);

/// Collects rows as they stream by and keeps only what the report can show, so its memory does not grow with
/// the number of rows, except where said below. Binds columns by name once. Cell parsing never throws: a number
/// that does not parse (score "abc", price "1,2O0") or is not finite counts as empty; unit prices and vram must
/// also be > 0; a row shorter than the header reads its missing cells as empty.
///
/// What it keeps while streaming ("analysed" listings as in Summary; `top` = ReportOptions::top):
///  - Counters, and the summary's unit-price min, max and running mean (updated in input order, the order the
///    mean has always been summed in). The summary median is taken at finish() from the per-model prices.
///  - Per canonical model (ModelState): counts, the first positive vram, the best score, the first non-empty
///    capacity per key, and *every unit price* of its analysed listings. These price lists are the one part that
///    grows with the rows (8 bytes per priced analysed listing): exact medians and the exact anomaly count need
///    them all.
///  - Each top list (by score, by score per dollar, under the price limit): the best `top` listings so far
///    (TopN), in the list's order with input order as the last tie-break, exactly as a stable sort of every
///    listing would pick them. A ListingEntry (title, seller, ... copied) is only built for a row that enters a
///    list; `qualifying` is an exact count.
///  - Anomaly candidates: per model, its `top` cheapest and its `top` dearest listings (price, then line, then
///    input order). |log(price / median)| only grows as a price moves away from the median, so the most extreme
///    anomalies of a model are among them, whatever the median turns out to be. finish() computes each model's
///    median, counts its anomalies over all its prices and ranks the candidates. One corner is not exact: when
///    two *different* prices of a model round to the same |log(price / median)| (prices within about 1e-12 of
///    each other, or a ratio beyond the range of double) and those listings straddle the model's cut-off, the
///    tie may be settled by price where a full sort would settle it by line.
///  - The first `top` duplicates and their count.
///  - One count per distinct non-GPU reason, and one entry per distinct unmatched title: these grow with the
///    number of *distinct* unmatched titles (and reasons) in the input.
class ReportCollector {
 public:
  /// Throws glyphsieve::Error (ExitCode::kUsage) for options out of range (see check_options), then
  /// glyphsieve::Error (ExitCode::kDataError) naming the missing column when the header lacks one of
  /// kRequiredColumns. `input_name` (optional) is the file named in that error.
  ReportCollector(const std::vector<std::string>& header, const ReportOptions& options,
                  std::string_view input_name = {});

  /// One listing row as written (or filtered, e.g. a non-GPU row dropped by --filter-invalid or a dropped
  /// duplicate: `written` false). `line` = input line number, used for ties and shown in the report.
  void add(const std::vector<std::string>& row, std::int64_t line, bool written = true);
  /// Rows rejected before reaching the report (bad rows), for the data-quality section.
  void add_rejected(std::int64_t count);

  /// Builds the report. Deterministic: same rows in the same order -> identical result. The collector stays
  /// usable: more rows may be added and finish() called again.
  Report finish() const;

 private:
  /// A listing kept in a top list or as an anomaly candidate.
  struct Candidate {
    ListingEntry entry;
    std::int64_t seq = 0;  ///< ordinal among the analysed listings: input order, the last tie-break
  };
  /// The best `n` candidates offered so far under `before`, a strict total order ("a goes before b").
  class TopN {
   public:
    using Before = bool (*)(const Candidate&, const Candidate&);
    TopN(std::size_t n, Before before) : n_(n), before_(before) {}
    /// Whether add(c) would keep `c`. Looks only at the fields `before` reads, so it can be asked with a
    /// candidate whose strings are not filled in yet.
    bool admits(const Candidate& c) const;
    /// Keeps `c`, dropping the worst kept one when there are n already. Requires admits(c).
    void add(Candidate c);
    /// The kept candidates, best first.
    std::vector<Candidate> sorted() const;
    /// The kept candidates, in no particular order.
    const std::vector<Candidate>& kept() const { return kept_; }

   private:
    std::size_t n_;
    Before before_;
    std::vector<Candidate> kept_;  // a heap under before_: front() is the worst kept
  };
  /// What finish() needs of one canonical model's analysed listings.
  struct ModelState {
    ModelState(std::string model, std::size_t capacity_keys, std::size_t top);
    std::string name;
    std::int64_t count = 0;
    std::optional<double> vram_gb, best_score;
    std::vector<std::optional<std::int64_t>> capacity;  // per capacity key: first non-empty value
    std::vector<double> prices;                         // every unit price, in input order
    TopN cheapest, dearest;                             // anomaly candidates
  };
  struct Unmatched {
    std::string reason;
    std::int64_t count = 0;
  };
  /// The cheapest analysed listing of one hardware (canonical model, gpu_count, memory), for the matrix.
  struct Offer {
    double total_usd = 0;
    double unit_usd = 0;  // per card
    std::int64_t line = 0;
    std::string title, gpu;
    std::int64_t gpu_count = 1;  // boards, as listed
    Hardware hardware;           // as the memory model sees them (devices)
  };

  ModelState& model_state(std::string_view name);
  /// Keeps the listing as its hardware's offer when it is the cheapest of that hardware so far.
  void offer_hardware(const std::vector<std::string>& row, std::int64_t line, std::string_view model,
                      double unit_price);
  std::optional<CapacityMatrix> capacity_matrix() const;
  std::optional<std::int64_t> capacity_value(const std::vector<std::string>& row, std::size_t key) const;

  ReportOptions options_;
  // Column indexes, bound once.
  std::size_t title_ = 0, model_ = 0, valid_ = 0, score_ = 0;
  std::optional<std::size_t> reason_, unit_price_, vram_, seller_, dup_flag_, dup_of_;
  std::optional<std::size_t> gpu_count_, bandwidth_, memory_mib_, mig_;  // the capacity matrix's inputs
  std::vector<std::string> capacity_keys_;
  std::vector<std::size_t> capacity_columns_;

  Summary counts_;                    // listings, written, filtered, valid_gpus, analysed; unit_price but its median
  DataQuality quality_counts_;        // rejected, non_gpu, unmatched, without_price, analysed_without_price
  std::vector<ModelState> models_;    // in order of first appearance
  StringMap<std::size_t> model_ids_;  // name -> index into models_
  TopN top_by_score_, top_by_value_, under_limit_;
  std::int64_t under_limit_count_ = 0;  // PriceLimitSection::qualifying
  // Hashed, not ordered: finish() sorts both by count, then by name, a total order.
  StringMap<std::int64_t> non_gpu_reasons_;
  StringMap<Unmatched> unmatched_;
  std::int64_t duplicate_count_ = 0;
  std::vector<DuplicateExample> duplicates_shown_;  // the first `top`
  // Capacity matrix: the cheapest offer per hardware key ("model|gpu_count|memory|m(easured) or n(ominal)"),
  // and how many were seen. Hashed: finish() picks by ($/instance, line), which does not depend on order.
  StringMap<std::vector<Offer>> offers_;  // per hardware: its kOffersPerHardware cheapest, cheapest first
  std::string offer_key_;
  std::int64_t offer_candidates_ = 0;
  // Frontier: the staircase of (unit price, score) with ids = seq, and the listings now on it.
  ParetoFrontier frontier_;
  std::vector<std::int64_t> dropped_;                                // reused by every offer
  std::unordered_map<std::int64_t, ListingEntry> frontier_entries_;  // seq -> listing, for the kept points
  std::int64_t frontier_candidates_ = 0;
  // The chart's sample: the kScatterSample candidates with the smallest hash of seq (a max-heap on hash).
  struct Sampled {
    std::uint64_t hash = 0;
    ScatterPoint point;
  };
  std::vector<Sampled> sample_;
};

/// GitHub-flavoured Markdown: prices as $1,299.00, `|` escaped in cells, titles over 70 characters shortened
/// with "…". Ends with a newline.
std::string render_markdown(const Report& report);
/// The same data as JSON: pretty-printed (2-space indent), stable key order, trailing newline. Prices and
/// ratios are plain numbers rounded as in the Markdown (cents; score to 0.1); unknown values are null.
std::string render_json(const Report& report);
/// A self-contained HTML page (inline CSS and SVG charts, no script, no external resource) with the same
/// sections as the Markdown, plus charts: price vs score with the frontier, price ranges per model by $/GB,
/// quantization capacity per model (when the report has capacity keys) and a data-quality panel. Every
/// string from the data is escaped.
std::string render_html(const Report& report);
/// The --summary-json document: provenance, KPIs, gates and whether they all passed (JSON as above).
std::string render_summary_json(const Report& report);

}  // namespace glyphsieve::report
