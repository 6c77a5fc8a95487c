// ReportCollector: binds the report's columns once, keeps a small record per analysed listing, and turns them
// into the sorted, capped tables of a Report. Everything is ordered by value then input line: no hash order.
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

bool is_true(std::string_view text) {
  const std::string_view s = trim(text);
  return s.size() == 4 && (s[0] == 't' || s[0] == 'T') && (s[1] == 'r' || s[1] == 'R') &&
         (s[2] == 'u' || s[2] == 'U') && (s[3] == 'e' || s[3] == 'E');
}

std::optional<double> positive(std::optional<double> value) { return value && *value > 0 ? value : std::nullopt; }

// "non-GPU item: NVLink/SLI bridge" -> "NVLink/SLI bridge".
std::string non_gpu_reason(std::string_view reason) {
  std::string_view rest = reason.substr(kNonGpuPrefix.size());
  rest = trim(rest);
  if (!rest.empty() && rest.front() == ':') rest = trim(rest.substr(1));
  return rest.empty() ? std::string("(no reason given)") : std::string(rest);
}

PriceStats price_stats(const std::vector<double>& prices) {
  PriceStats s;
  s.count = static_cast<std::int64_t>(prices.size());
  if (prices.empty()) return s;
  const auto [lo, hi] = std::minmax_element(prices.begin(), prices.end());
  s.min = *lo;
  s.max = *hi;
  s.median = median(prices);
  double mean = 0;  // running mean: cannot overflow where a plain sum of huge prices would
  for (std::size_t i = 0; i < prices.size(); ++i) mean += (prices[i] - mean) / static_cast<double>(i + 1);
  s.mean = mean;
  return s;
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

// Score desc, unit price asc (missing last), line asc.
bool by_score(const ListingEntry& a, const ListingEntry& b) {
  if (a.score != b.score) return a.score.value_or(-INFINITY) > b.score.value_or(-INFINITY);
  if (a.unit_price.has_value() != b.unit_price.has_value()) return a.unit_price.has_value();
  if (a.unit_price && *a.unit_price != *b.unit_price) return *a.unit_price < *b.unit_price;
  return a.line < b.line;
}

bool by_value(const ListingEntry& a, const ListingEntry& b) {
  if (*a.score_per_kusd != *b.score_per_kusd) return *a.score_per_kusd > *b.score_per_kusd;
  return by_score(a, b);
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

ReportCollector::ReportCollector(const std::vector<std::string>& names, std::string_view input_name) {
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

std::uint32_t ReportCollector::intern(std::string_view name, std::vector<std::string>& names,
                                      std::map<std::string, std::uint32_t, std::less<>>& ids) {
  if (const auto it = ids.find(name); it != ids.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(names.size());
  names.emplace_back(name);
  ids.emplace(std::string(name), id);
  return id;
}

void ReportCollector::add(const std::vector<std::string>& row, std::int64_t line, bool written) {
  ++counts_.listings;
  ++(written ? counts_.written : counts_.filtered);

  const std::string_view model = trim(cell(row, model_));
  const std::string_view reason = trim(cell(row, reason_));
  const bool known_model = !model.empty() && model != kUnknownModel;
  const bool valid_flag = is_true(cell(row, valid_));
  const bool valid = valid_flag && known_model;
  const bool non_gpu = !valid_flag && reason.substr(0, kNonGpuPrefix.size()) == kNonGpuPrefix;
  const std::optional<double> unit_price = positive(parse_number(cell(row, unit_price_)));
  const bool duplicate = trim(cell(row, dup_flag_)) == "DUPLICATE";

  if (valid) ++counts_.valid_gpus;
  if (!unit_price) ++quality_counts_.without_price;
  if (non_gpu) {
    ++quality_counts_.non_gpu;
    ++non_gpu_reasons_[non_gpu_reason(reason)];
  } else if (!known_model) {
    ++quality_counts_.unmatched;
    auto [it, fresh] = unmatched_.try_emplace(std::string(cell(row, title_)));
    if (fresh) it->second.reason = std::string(reason);
    ++it->second.count;
  }
  if (duplicate) {
    duplicates_.push_back({line, parse_integer(cell(row, dup_of_)), std::string(cell(row, title_))});
  }
  if (!valid || !written || duplicate) return;

  ++counts_.analysed;
  if (!unit_price) ++quality_counts_.analysed_without_price;
  Record r;
  r.line = line;
  r.model = intern(model, model_names_, model_ids_);
  r.seller = intern(trim(cell(row, seller_)), seller_names_, seller_ids_);
  r.score = parse_number(cell(row, score_));
  r.unit_price = unit_price;
  r.vram_gb = positive(parse_number(cell(row, vram_)));
  r.title = std::string(cell(row, title_));
  records_.push_back(std::move(r));
  for (const std::size_t column : capacity_columns_) {
    std::optional<std::int64_t> value = parse_integer(cell(row, column));
    if (value && *value < 0) value.reset();
    capacity_values_.push_back(value);
  }
}

void ReportCollector::add_rejected(std::int64_t count) {
  if (count > 0) quality_counts_.rejected += count;
}

ListingEntry ReportCollector::entry(std::size_t record) const {
  const Record& r = records_[record];
  ListingEntry e;
  e.line = r.line;
  e.model = model_names_[r.model];
  e.score = r.score;
  e.unit_price = r.unit_price;
  if (r.score && r.unit_price) e.score_per_kusd = *r.score / *r.unit_price * 1000.0;
  e.seller = seller_names_[r.seller];
  e.title = r.title;
  const std::size_t keys = capacity_keys_.size();
  e.capacity.assign(capacity_values_.begin() + static_cast<std::ptrdiff_t>(record * keys),
                    capacity_values_.begin() + static_cast<std::ptrdiff_t>((record + 1) * keys));
  return e;
}

Report ReportCollector::finish(const ReportOptions& options) const {
  check_options(options);
  const auto top = static_cast<std::size_t>(options.top);
  const std::size_t keys = capacity_keys_.size();

  Report report;
  report.options = options;
  report.capacity_keys = capacity_keys_;

  // 1. Summary.
  report.summary = counts_;
  std::vector<double> prices;
  for (const Record& r : records_) {
    if (r.unit_price) prices.push_back(*r.unit_price);
  }
  report.summary.unit_price = price_stats(prices);
  report.summary.distinct_models = static_cast<std::int64_t>(model_names_.size());

  // 2. Per model, and each model's median for the anomaly check.
  std::vector<std::vector<std::size_t>> by_model(model_names_.size());
  for (std::size_t i = 0; i < records_.size(); ++i) by_model[records_[i].model].push_back(i);
  std::vector<std::optional<double>> anomaly_baseline(model_names_.size());
  for (std::size_t m = 0; m < by_model.size(); ++m) {
    ModelSummary s;
    s.model = model_names_[m];
    s.count = static_cast<std::int64_t>(by_model[m].size());
    s.capacity.assign(keys, std::nullopt);
    std::vector<double> model_prices;
    for (const std::size_t i : by_model[m]) {
      const Record& r = records_[i];
      if (r.unit_price) model_prices.push_back(*r.unit_price);
      if (!s.vram_gb) s.vram_gb = r.vram_gb;
      if (r.score && (!s.best_score || *r.score > *s.best_score)) s.best_score = r.score;
      for (std::size_t k = 0; k < keys; ++k) {
        if (!s.capacity[k]) s.capacity[k] = capacity_values_[i * keys + k];
      }
    }
    const PriceStats stats = price_stats(model_prices);
    s.priced = stats.count;
    s.min_price = stats.min;
    s.median_price = stats.median;
    s.max_price = stats.max;
    if (s.median_price && s.vram_gb) s.usd_per_gb = *s.median_price / *s.vram_gb;
    if (stats.count >= kAnomalyMinListings) anomaly_baseline[m] = stats.median;
    report.models.push_back(std::move(s));
  }
  std::sort(report.models.begin(), report.models.end(), [](const ModelSummary& a, const ModelSummary& b) {
    return a.count != b.count ? a.count > b.count : a.model < b.model;
  });

  // 3-5. Top lists.
  std::vector<ListingEntry> scored, valued, under_limit;
  std::int64_t qualifying = 0;
  for (std::size_t i = 0; i < records_.size(); ++i) {
    const Record& r = records_[i];
    if (!r.score) continue;
    scored.push_back(entry(i));
    if (r.unit_price) valued.push_back(scored.back());
    if (options.price_limit && r.unit_price && *r.unit_price <= *options.price_limit) {
      ++qualifying;
      under_limit.push_back(scored.back());
    }
  }
  report.top_by_score = best(std::move(scored), top, by_score);
  report.top_by_value = best(std::move(valued), top, by_value);
  if (options.price_limit) {
    report.under_price_limit =
        PriceLimitSection{*options.price_limit, qualifying, best(std::move(under_limit), top, by_score)};
  }

  // 6. Price anomalies.
  report.anomalies.threshold = options.anomaly_ratio;
  report.anomalies.models_checked =
      std::count_if(anomaly_baseline.begin(), anomaly_baseline.end(), [](const auto& b) { return b.has_value(); });
  std::vector<Anomaly> anomalies;
  for (std::size_t i = 0; i < records_.size(); ++i) {
    const Record& r = records_[i];
    const std::optional<double>& baseline = anomaly_baseline[r.model];
    if (!r.unit_price || !baseline) continue;
    const double ratio = *r.unit_price / *baseline;
    if (ratio > options.anomaly_ratio || ratio < 1.0 / options.anomaly_ratio) {
      anomalies.push_back({entry(i), *baseline, ratio});
    }
  }
  report.anomalies.total = static_cast<std::int64_t>(anomalies.size());
  report.anomalies.shown = best(std::move(anomalies), top, [](const Anomaly& a, const Anomaly& b) {
    const double da = std::fabs(std::log(a.ratio)), db = std::fabs(std::log(b.ratio));
    return da != db ? da > db : a.listing.line < b.listing.line;
  });

  // 7. Duplicates.
  report.duplicates.dedup_ran = dup_flag_.has_value();
  report.duplicates.count = static_cast<std::int64_t>(duplicates_.size());
  report.duplicates.shown.assign(duplicates_.begin(),
                                 duplicates_.begin() + static_cast<std::ptrdiff_t>(std::min(top, duplicates_.size())));

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
  return report;
}

}  // namespace glyphsieve::report
