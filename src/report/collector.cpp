// ReportCollector: binds the report's columns once, keeps per model and per list only what the report can show
// (see the class comment in report.hpp), and turns that into the sorted, capped tables of a Report. Everything is
// ordered by value, then input line, then input order: no hash order.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"
#include "glyphsieve/report/report.hpp"
#include "glyphsieve/stages/stage.hpp"
#include "report/format.hpp"

namespace glyphsieve::report {

namespace {

constexpr std::string_view kUnknownModel = "UNKNOWN";
constexpr std::string_view kNonGpuPrefix = "non-GPU item";

std::string_view cell(const std::vector<std::string>& row, std::size_t index) {
  return index < row.size() ? std::string_view(row[index]) : std::string_view();
}

std::string_view cell(const std::vector<std::string>& row, const std::optional<std::size_t>& index) {
  return index ? cell(row, *index) : std::string_view();
}

std::optional<double> positive(std::optional<double> value) { return value && *value > 0 ? value : std::nullopt; }

// "non-GPU item: NVLink/SLI bridge" -> "NVLink/SLI bridge".
std::string non_gpu_reason(std::string_view reason) {
  std::string_view rest = reason.substr(kNonGpuPrefix.size());
  rest = trim(rest);
  if (!rest.empty() && rest.front() == ':') rest = trim(rest.substr(1));
  return rest.empty() ? std::string("(no reason given)") : std::string(rest);
}

// Count, min, median and max of one model's prices (the summary keeps its own, with the mean, while streaming).
PriceStats price_stats(const std::vector<double>& prices) {
  PriceStats s;
  s.count = static_cast<std::int64_t>(prices.size());
  if (prices.empty()) return s;
  const auto [lo, hi] = std::minmax_element(prices.begin(), prices.end());
  s.min = *lo;
  s.max = *hi;
  s.median = median(prices);
  return s;
}

// SplitMix64's finaliser: a well-mixed hash of an ordinal, for the chart's deterministic sample.
std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Score desc, unit price asc (missing last), line asc.
bool by_score(const ListingEntry& a, const ListingEntry& b) {
  if (a.score != b.score) return a.score.value_or(-INFINITY) > b.score.value_or(-INFINITY);
  if (a.unit_price.has_value() != b.unit_price.has_value()) return a.unit_price.has_value();
  if (a.unit_price && *a.unit_price != *b.unit_price) return *a.unit_price < *b.unit_price;
  return a.line < b.line;
}

// The orders of the kept candidates (ReportCollector::Candidate, private there: hence the templates) all end with
// input order (seq), as the stable sorts of every listing they replace did.
template <typename Less>
bool then_input_order(const auto& a, const auto& b, Less less) {
  if (less(a.entry, b.entry)) return true;
  if (less(b.entry, a.entry)) return false;
  return a.seq < b.seq;
}

// Top by score, and under the price limit.
template <typename Candidate>
bool by_score_then_seq(const Candidate& a, const Candidate& b) {
  return then_input_order(a, b, by_score);
}

// Top by value: score per $1k desc (only listings with a score and a price), then as by_score.
template <typename Candidate>
bool by_value_then_seq(const Candidate& a, const Candidate& b) {
  return then_input_order(a, b, [](const ListingEntry& x, const ListingEntry& y) {
    if (*x.score_per_kusd != *y.score_per_kusd) return *x.score_per_kusd > *y.score_per_kusd;
    return by_score(x, y);
  });
}

// Anomaly candidates of a model (priced listings): its cheapest, and its dearest. Ties in price go by line, then
// input order, as the final anomaly ranking settles ties in |log ratio|.
template <typename Candidate>
bool cheapest_first(const Candidate& a, const Candidate& b) {
  if (*a.entry.unit_price != *b.entry.unit_price) return *a.entry.unit_price < *b.entry.unit_price;
  return a.entry.line != b.entry.line ? a.entry.line < b.entry.line : a.seq < b.seq;
}

template <typename Candidate>
bool dearest_first(const Candidate& a, const Candidate& b) {
  if (*a.entry.unit_price != *b.entry.unit_price) return *a.entry.unit_price > *b.entry.unit_price;
  return a.entry.line != b.entry.line ? a.entry.line < b.entry.line : a.seq < b.seq;
}

// The listings of kept candidates, in the same order.
template <typename Candidate>
std::vector<ListingEntry> entries(const std::vector<Candidate>& candidates) {
  std::vector<ListingEntry> out;
  out.reserve(candidates.size());
  for (const auto& c : candidates) out.push_back(c.entry);
  return out;
}

// The first `top` entries in `order`; stable, so rows equal in every key keep their input order.
template <typename T, typename Less>
std::vector<T> best(std::vector<T> items, std::size_t top, Less less) {
  std::stable_sort(items.begin(), items.end(), less);
  if (items.size() > top) items.resize(top);
  return items;
}

}  // namespace

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return values[mid];
  return values[mid - 1] + (values[mid] - values[mid - 1]) / 2.0;  // no overflow for huge values
}

void check_options(const ReportOptions& o) {
  if (o.top < 0) throw_usage_error(fmt::format("report: top must be 0 or more (got {})", o.top));
  if (!std::isfinite(o.anomaly_ratio) || o.anomaly_ratio <= 1.0) {
    throw_usage_error(fmt::format("report: anomaly ratio must be a number greater than 1 (got {})", o.anomaly_ratio));
  }
  if (o.price_limit && (!std::isfinite(*o.price_limit) || *o.price_limit < 0)) {
    throw_usage_error(fmt::format("report: price limit must be a number of USD >= 0 (got {})", *o.price_limit));
  }
}

// ---------------------------------------------------------------- TopN

bool ReportCollector::TopN::admits(const Candidate& c) const {
  if (kept_.size() < n_) return true;
  return n_ > 0 && before_(c, kept_.front());
}

void ReportCollector::TopN::add(Candidate c) {
  if (kept_.size() == n_) {
    std::pop_heap(kept_.begin(), kept_.end(), before_);  // the worst kept moves to the back...
    kept_.pop_back();                                    // ...and goes
  }
  kept_.push_back(std::move(c));
  std::push_heap(kept_.begin(), kept_.end(), before_);
}

std::vector<ReportCollector::Candidate> ReportCollector::TopN::sorted() const {
  std::vector<Candidate> out = kept_;
  std::sort_heap(out.begin(), out.end(), before_);
  return out;
}

// ---------------------------------------------------------------- ReportCollector

ReportCollector::ReportCollector(const std::vector<std::string>& names, const ReportOptions& options,
                                 std::string_view input_name)
    : options_((check_options(options), options)),  // checked before anything uses them
      top_by_score_(static_cast<std::size_t>(options_.top), by_score_then_seq<Candidate>),
      top_by_value_(static_cast<std::size_t>(options_.top), by_value_then_seq<Candidate>),
      under_limit_(static_cast<std::size_t>(options_.top), by_score_then_seq<Candidate>) {
  const Header header(names);
  std::array<std::size_t, kRequiredColumns.size()> required{};
  for (std::size_t i = 0; i < kRequiredColumns.size(); ++i) {
    const auto index = header.find(kRequiredColumns[i]);
    if (!index) {
      Location where{std::string(input_name), input_name.empty() ? 0 : 1, 0, std::string(kRequiredColumns[i])};
      throw_data_error(
          fmt::format("the report needs this column, and the header has none (required: title, canonical_model, "
                      "is_valid_gpu, score; run the pipeline with scoring first)"),
          std::move(where));
    }
    required[i] = *index;
  }
  title_ = required[0];
  model_ = required[1];
  valid_ = required[2];
  score_ = required[3];
  reason_ = header.find("unknown_reason");
  unit_price_ = header.find("unit_price_usd");
  vram_ = header.find("vram_gb");
  seller_ = header.find("seller");
  dup_flag_ = header.find("duplicate_flag");
  dup_of_ = header.find("duplicate_of");
  gpu_count_ = header.find("gpu_count");
  bandwidth_ = header.find("memory_bandwidth_gbps");
  memory_mib_ = header.find("memory_total_mib");
  mig_ = header.find("mig_support");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (name.size() <= kCapacityPrefix.size() || name.compare(0, kCapacityPrefix.size(), kCapacityPrefix) != 0) {
      continue;
    }
    std::string key = name.substr(kCapacityPrefix.size());
    if (std::find(capacity_keys_.begin(), capacity_keys_.end(), key) != capacity_keys_.end()) continue;
    capacity_keys_.push_back(std::move(key));
    capacity_columns_.push_back(i);
  }
}

ReportCollector::ModelState::ModelState(std::string model, std::size_t capacity_keys, std::size_t top)
    : name(std::move(model)),
      capacity(capacity_keys),
      cheapest(top, cheapest_first<Candidate>),
      dearest(top, dearest_first<Candidate>) {}

ReportCollector::ModelState& ReportCollector::model_state(std::string_view name) {
  if (const auto it = model_ids_.find(name); it != model_ids_.end()) return models_[it->second];
  model_ids_.emplace(std::string(name), models_.size());
  return models_.emplace_back(std::string(name), capacity_keys_.size(), static_cast<std::size_t>(options_.top));
}

std::optional<std::int64_t> ReportCollector::capacity_value(const std::vector<std::string>& row,
                                                            std::size_t key) const {
  std::optional<std::int64_t> value = parse_integer(cell(row, capacity_columns_[key]));
  if (value && *value < 0) value.reset();
  return value;
}

void ReportCollector::add(const std::vector<std::string>& row, std::int64_t line, bool written) {
  ++counts_.listings;
  ++(written ? counts_.written : counts_.filtered);

  const std::string_view model = trim(cell(row, model_));
  const std::string_view reason = trim(cell(row, reason_));
  const bool known_model = !model.empty() && model != kUnknownModel;
  const bool valid_flag = cell_is_true(cell(row, valid_));
  const bool valid = valid_flag && known_model;
  const bool non_gpu = !valid_flag && reason.substr(0, kNonGpuPrefix.size()) == kNonGpuPrefix;
  const std::optional<double> unit_price = positive(cell_number(cell(row, unit_price_)));
  const bool duplicate = trim(cell(row, dup_flag_)) == "DUPLICATE";

  if (valid) ++counts_.valid_gpus;
  if (!unit_price) ++quality_counts_.without_price;
  if (non_gpu) {
    ++quality_counts_.non_gpu;
    ++non_gpu_reasons_[non_gpu_reason(reason)];
  } else if (!known_model) {
    ++quality_counts_.unmatched;
    const std::string_view title = cell(row, title_);
    auto it = unmatched_.find(title);
    if (it == unmatched_.end()) it = unmatched_.emplace(std::string(title), Unmatched{std::string(reason), 0}).first;
    ++it->second.count;
  }
  if (duplicate) {
    ++duplicate_count_;
    if (duplicates_shown_.size() < static_cast<std::size_t>(options_.top)) {
      duplicates_shown_.push_back({line, parse_integer(cell(row, dup_of_)), std::string(cell(row, title_))});
    }
  }
  if (!written || (!options_.include_invalid && (!valid || duplicate))) return;

  // An analysed listing.
  const std::int64_t seq = counts_.analysed++;
  if (!unit_price) ++quality_counts_.analysed_without_price;
  const std::optional<double> score = cell_number(cell(row, score_));
  ModelState& m = model_state(known_model ? model : kUnknownModel);
  ++m.count;
  if (!m.vram_gb) m.vram_gb = positive(cell_number(cell(row, vram_)));
  if (score && (!m.best_score || *score > *m.best_score)) m.best_score = score;
  for (std::size_t k = 0; k < capacity_keys_.size(); ++k) {
    if (!m.capacity[k]) m.capacity[k] = capacity_value(row, k);
  }
  if (unit_price) {
    const double price = *unit_price;
    m.prices.push_back(price);
    PriceStats& all = counts_.unit_price;
    ++all.count;
    all.min = all.min ? std::min(*all.min, price) : price;
    all.max = all.max ? std::max(*all.max, price) : price;
    const double mean = all.mean.value_or(0.0);  // running mean: cannot overflow where a plain sum would
    all.mean = mean + (price - mean) / static_cast<double>(all.count);
  }

  if (options_.capacity_matrix && unit_price) offer_hardware(row, line, model, *unit_price);

  // Offer the listing to every list it belongs in. The candidate's strings are filled in only once one of them
  // keeps it: the lists admit rows by score, price and line alone.
  Candidate c;
  c.seq = seq;
  c.entry.line = line;
  c.entry.score = score;
  c.entry.unit_price = unit_price;
  if (score && unit_price) c.entry.score_per_kusd = *score / *unit_price * 1000.0;
  bool filled = false;
  const auto fill = [&] {
    c.entry.model = std::string(m.name);
    c.entry.seller = std::string(trim(cell(row, seller_)));
    c.entry.title = std::string(cell(row, title_));
    for (std::size_t k = 0; k < capacity_keys_.size(); ++k) c.entry.capacity.push_back(capacity_value(row, k));
    filled = true;
  };
  const auto offer = [&](TopN& list) {
    if (!list.admits(c)) return;
    if (!filled) fill();
    list.add(c);
  };
  if (score && unit_price) {
    ++frontier_candidates_;
    dropped_.clear();
    if (frontier_.offer({*unit_price, *score, seq}, &dropped_)) {
      for (const std::int64_t id : dropped_) frontier_entries_.erase(id);
      if (!filled) fill();
      frontier_entries_.emplace(seq, c.entry);
    }
    // The chart's sample: bottom-k by a hash of seq, so it is uniform and the same for the same rows.
    const std::uint64_t h = mix64(static_cast<std::uint64_t>(seq));
    const auto higher_hash = [](const Sampled& a, const Sampled& b) { return a.hash < b.hash; };
    if (sample_.size() < kScatterSample || h < sample_.front().hash) {
      sample_.push_back({h, {*unit_price, *score, line, m.name, std::string(cell(row, title_)), false}});
      std::push_heap(sample_.begin(), sample_.end(), higher_hash);
      if (sample_.size() > kScatterSample) {
        std::pop_heap(sample_.begin(), sample_.end(), higher_hash);
        sample_.pop_back();
      }
    }
  }
  if (score) {
    offer(top_by_score_);
    if (unit_price) offer(top_by_value_);
    if (options_.price_limit && unit_price && *unit_price <= *options_.price_limit) {
      ++under_limit_count_;
      offer(under_limit_);
    }
  }
  if (unit_price) {
    offer(m.cheapest);
    offer(m.dearest);
  }
}

void ReportCollector::offer_hardware(const std::vector<std::string>& row, std::int64_t line, std::string_view model,
                                     double unit_price) {
  // The memory model's own reading of a listing: measured memory first, then the nominal vram_gb.
  std::optional<double> memory = positive(cell_number(cell(row, memory_mib_)));
  const bool measured = memory.has_value();
  if (memory) {
    *memory /= 1024.0;
  } else {
    memory = positive(cell_number(cell(row, vram_)));
  }
  if (!memory) return;
  const std::optional<std::int64_t> count = parse_integer(cell(row, gpu_count_));
  const std::int64_t gpus = count && *count >= 1 && *count <= 1'000'000 ? *count : 1;
  ++offer_candidates_;
  const double total = unit_price * static_cast<double>(gpus);
  // The key is built in a reused buffer: this runs for every priced listing, on the thread that
  // finishes rows in order.
  std::string& key = offer_key_;
  key.assign(model);
  fmt::format_to(std::back_inserter(key), "|{}|{}|{}", gpus, *memory, measured ? 'm' : 'n');
  std::vector<Offer>& kept = offers_[key];
  // Kept cheapest first; a later listing at the same price goes after the earlier one.
  if (kept.size() >= kOffersPerHardware && kept.back().total_usd <= total) return;
  Offer o;
  o.total_usd = total;
  o.unit_usd = unit_price;
  o.line = line;
  o.title = std::string(cell(row, title_));
  o.gpu = std::string(model);
  o.gpu_count = gpus;
  const std::optional<std::int64_t> mig = parse_integer(cell(row, mig_));
  o.hardware = listing_hardware(options_.capacity_matrix->memory.config(), model, *memory, measured, gpus,
                                positive(cell_number(cell(row, bandwidth_))), mig.value_or(0));
  const auto at =
      std::upper_bound(kept.begin(), kept.end(), total, [](double t, const Offer& k) { return t < k.total_usd; });
  kept.insert(at, std::move(o));
  if (kept.size() > kOffersPerHardware) kept.pop_back();
}

std::optional<CapacityMatrix> ReportCollector::capacity_matrix() const {
  const CapacityMatrixSpec* spec = options_.capacity_matrix.get();
  if (!spec || (!vram_ && !memory_mib_)) return std::nullopt;
  CapacityMatrix matrix;
  matrix.context = spec->context;
  for (const QuantType* q : spec->quants) matrix.quants.push_back(q->id);
  matrix.candidates = offer_candidates_;
  matrix.hardware = static_cast<std::int64_t>(offers_.size());
  // Each hardware is represented by its cheapest listing that is not a price anomaly on the low side
  // (below 1/anomaly_ratio of its model's median, for models with enough prices to have a median):
  // a $9 "4x Tesla K80" is a typo or a scam, not the cheapest way to serve a model.
  StringMap<double> floor_price;  // model -> lowest unit price that is not suspicious
  for (const ModelState& ms : models_) {
    if (static_cast<std::int64_t>(ms.prices.size()) < kAnomalyMinListings) continue;
    if (const auto med = median(ms.prices)) floor_price.emplace(ms.name, *med / options_.anomaly_ratio);
  }
  std::vector<const Offer*> chosen;
  for (const auto& [key, kept] : offers_) {
    for (const Offer& o : kept) {
      const auto f = floor_price.find(o.gpu);
      if (f != floor_price.end() && o.unit_usd < f->second) {
        ++matrix.skipped;
        continue;
      }
      chosen.push_back(&o);
      break;
    }
  }
  for (const ModelSpec* m : spec->models) {
    CapacityRow row;
    row.model = m->id;
    for (const QuantType* q : spec->quants) {
      Deployment d;
      d.model = m;
      d.quant = q;
      d.context = std::min<std::int64_t>(spec->context, m->max_context);
      CapacityCell cell;
      cell.quant = q->id;
      for (const Offer* offer : chosen) {
        const Offer& o = *offer;
        MemoryBreakdown b;
        const std::int64_t n = spec->memory.instances(d, o.hardware, &b);
        if (n <= 0) continue;
        const double per = o.total_usd / static_cast<double>(n);
        if (cell.served && (per > cell.usd_per_instance || (per == cell.usd_per_instance && o.line >= cell.line))) {
          continue;
        }
        cell.served = true;
        cell.line = o.line;
        cell.title = o.title;
        cell.gpu = o.gpu;
        cell.gpu_count = o.gpu_count;
        cell.instances = n;
        cell.usd_per_instance = per;
        cell.tokens_per_s = MemoryModel::tokens_per_s(d, o.hardware, b.tensor_parallel);
      }
      row.cells.push_back(std::move(cell));
    }
    matrix.rows.push_back(std::move(row));
  }
  return matrix;
}

void ReportCollector::add_rejected(std::int64_t count) {
  if (count > 0) quality_counts_.rejected += count;
}

Report ReportCollector::finish() const {
  const auto top = static_cast<std::size_t>(options_.top);

  Report report;
  report.options = options_;
  report.capacity_keys = capacity_keys_;

  // 1. Summary: the median over every model's prices; the rest was kept while streaming.
  report.summary = counts_;
  std::vector<double> prices;
  prices.reserve(static_cast<std::size_t>(counts_.unit_price.count));
  for (const ModelState& m : models_) prices.insert(prices.end(), m.prices.begin(), m.prices.end());
  report.summary.unit_price.median = median(std::move(prices));
  report.summary.distinct_models = static_cast<std::int64_t>(models_.size());

  // 2. Per model; 6. each checked model's anomalies: counted over all its prices, ranked among its candidates.
  const double ratio_limit = options_.anomaly_ratio;
  const auto is_anomaly = [ratio_limit](double ratio) { return ratio > ratio_limit || ratio < 1.0 / ratio_limit; };
  struct Found {
    Anomaly anomaly;
    std::int64_t seq = 0;
  };
  std::vector<Found> found;
  report.anomalies.threshold = options_.anomaly_ratio;
  for (const ModelState& m : models_) {
    ModelSummary s;
    s.model = m.name;
    s.count = m.count;
    s.vram_gb = m.vram_gb;
    s.best_score = m.best_score;
    s.capacity = m.capacity;
    const PriceStats stats = price_stats(m.prices);
    s.priced = stats.count;
    s.min_price = stats.min;
    s.median_price = stats.median;
    s.max_price = stats.max;
    if (s.median_price && s.vram_gb) s.usd_per_gb = *s.median_price / *s.vram_gb;
    report.models.push_back(std::move(s));

    if (stats.count < kAnomalyMinListings) continue;
    const double baseline = *stats.median;
    ++report.anomalies.models_checked;
    for (const double price : m.prices) report.anomalies.total += is_anomaly(price / baseline) ? 1 : 0;
    // A listing can be among both the cheapest and the dearest (a model with few listings): take it once.
    std::vector<const Candidate*> candidates;
    for (const Candidate& c : m.cheapest.kept()) candidates.push_back(&c);
    for (const Candidate& c : m.dearest.kept()) candidates.push_back(&c);
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate* a, const Candidate* b) { return a->seq < b->seq; });
    candidates.erase(std::unique(candidates.begin(), candidates.end(),
                                 [](const Candidate* a, const Candidate* b) { return a->seq == b->seq; }),
                     candidates.end());
    for (const Candidate* c : candidates) {
      const double ratio = *c->entry.unit_price / baseline;
      if (is_anomaly(ratio)) found.push_back({{c->entry, baseline, ratio}, c->seq});
    }
  }
  std::sort(report.models.begin(), report.models.end(), [](const ModelSummary& a, const ModelSummary& b) {
    return a.count != b.count ? a.count > b.count : a.model < b.model;
  });
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    const double da = std::fabs(std::log(a.anomaly.ratio)), db = std::fabs(std::log(b.anomaly.ratio));
    if (da != db) return da > db;
    return a.anomaly.listing.line != b.anomaly.listing.line ? a.anomaly.listing.line < b.anomaly.listing.line
                                                            : a.seq < b.seq;
  });
  for (std::size_t i = 0; i < found.size() && i < top; ++i) report.anomalies.shown.push_back(found[i].anomaly);

  // 3-5. Top lists.
  report.top_by_score = entries(top_by_score_.sorted());
  report.top_by_value = entries(top_by_value_.sorted());
  if (options_.price_limit) {
    report.under_price_limit =
        PriceLimitSection{*options_.price_limit, under_limit_count_, entries(under_limit_.sorted())};
  }

  // 7. Duplicates.
  report.duplicates.dedup_ran = dup_flag_.has_value();
  report.duplicates.count = duplicate_count_;
  report.duplicates.shown = duplicates_shown_;

  // 8. Data quality.
  report.quality = quality_counts_;
  std::vector<ReasonCount> reasons;
  for (const auto& [reason, count] : non_gpu_reasons_) reasons.push_back({reason, count});
  report.quality.non_gpu_reasons_total = static_cast<std::int64_t>(reasons.size());
  report.quality.non_gpu_reasons = best(std::move(reasons), kNonGpuReasonsShown, [](const auto& a, const auto& b) {
    return a.count != b.count ? a.count > b.count : a.reason < b.reason;
  });
  std::vector<UnmatchedTitle> titles;
  for (const auto& [title, u] : unmatched_) titles.push_back({title, u.reason, u.count});
  report.quality.unmatched_titles_total = static_cast<std::int64_t>(titles.size());
  report.quality.unmatched_titles = best(std::move(titles), top, [](const auto& a, const auto& b) {
    return a.count != b.count ? a.count > b.count : a.title < b.title;
  });

  // 9. Capacity matrix.
  report.capacity_matrix = capacity_matrix();

  // 10. Frontier: the staircase's listings by price; the chart's points, frontier ones marked.
  FrontierSection& f = report.frontier;
  f.candidates = frontier_candidates_;
  for (const ParetoFrontier::Point& p : frontier_.points()) f.listings.push_back(frontier_entries_.at(p.id));
  std::stable_sort(f.listings.begin(), f.listings.end(), [](const ListingEntry& a, const ListingEntry& b) {
    return *a.unit_price != *b.unit_price ? *a.unit_price < *b.unit_price : a.line < b.line;
  });
  std::vector<std::optional<double>> medians(models_.size());  // each model's, taken once when needed
  for (const ListingEntry& e : f.listings) {
    std::optional<double> ratio;
    const auto it = model_ids_.find(e.model);
    if (it != model_ids_.end() && static_cast<std::int64_t>(models_[it->second].prices.size()) >= kAnomalyMinListings) {
      if (!medians[it->second]) medians[it->second] = median(models_[it->second].prices);
      const double r = *e.unit_price / *medians[it->second];
      if (is_anomaly(r)) ratio = r;
    }
    f.anomaly_ratio.push_back(ratio);
  }
  std::vector<std::int64_t> on_frontier;
  for (const ListingEntry& e : f.listings) {
    on_frontier.push_back(e.line);
    f.plotted.push_back({*e.unit_price, *e.score, e.line, e.model, e.title, true});
  }
  std::sort(on_frontier.begin(), on_frontier.end());
  for (const Sampled& s : sample_) {
    if (!std::binary_search(on_frontier.begin(), on_frontier.end(), s.point.line)) f.plotted.push_back(s.point);
  }
  std::sort(f.plotted.begin(), f.plotted.end(), [](const ScatterPoint& a, const ScatterPoint& b) {
    return a.unit_price != b.unit_price ? a.unit_price < b.unit_price : a.line < b.line;
  });

  // KPIs: every row seen; the timings are the caller's.
  Kpis& k = report.kpis;
  k.listings = counts_.listings;
  k.written = counts_.written;
  k.filtered = counts_.filtered;
  k.rejected = quality_counts_.rejected;
  k.rows_read = k.listings + k.rejected;
  const auto rate = [](std::int64_t part, std::int64_t whole) {
    return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
  };
  k.match_rate = rate(counts_.valid_gpus, k.listings);
  k.unknown_rate = rate(quality_counts_.unmatched, k.listings);
  k.non_gpu_rate = rate(quality_counts_.non_gpu, k.listings);
  k.duplicate_rate = rate(duplicate_count_, k.listings);
  k.missing_price_rate = rate(quality_counts_.without_price, k.listings);
  k.rejected_rate = rate(k.rejected, k.rows_read);
  return report;
}

}  // namespace glyphsieve::report
