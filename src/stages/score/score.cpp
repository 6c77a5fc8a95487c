// score stage: fixed-scale terms, weighted and normalised; every constant comes from scoring_weights.yaml.
#include "glyphsieve/stages/score.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"

namespace glyphsieve {

void validate_weights(const ScoringConfig& scoring) {
  double sum = 0;
  for (const auto& [name, w] : scoring.weights) {
    if (!std::isfinite(w) || w < 0) {
      throw_usage_error(fmt::format("weight '{}' must be a number >= 0, got {}", name, w));
    }
    sum += w;
  }
  if (sum <= 0) throw_usage_error("every scoring weight is 0: at least one must be above 0");
}

Scorer::Scorer(ScoringConfig scoring, const QuantizationHeuristicConfig& quantization, const Currencies& currencies)
    : scoring_(std::move(scoring)),
      capacity_(quantization.capacity),
      capable_(quantization.capable),
      currencies_(currencies) {
  validate_weights(scoring_);
  // Resolve the weights by name once, not per row.
  w_ = {scoring_.weight("vram"), scoring_.weight("mig"),   scoring_.weight("nvlink"),
        scoring_.weight("tdp"),  scoring_.weight("price"), scoring_.weight("quantization")};
  for (const auto& [name, w] : scoring_.weights) weight_sum_ += w;
  quant_sizes_ = quantization.capacity.models.size();
}

std::optional<double> Scorer::unit_price_usd(const EnrichedGPUListing& g) const {
  if (!g.price || g.gpu_count < 1) return std::nullopt;
  const Currencies::Currency* c = currencies_.find(g.currency.empty() ? currencies_.default_code : g.currency);
  if (!c || !c->usd_rate) return std::nullopt;
  return *g.price / static_cast<double>(g.gpu_count) * *c->usd_rate;
}

ScoreBreakdown Scorer::score(const EnrichedGPUListing& g) const {
  ScoreBreakdown out;
  out.unit_price_usd = unit_price_usd(g);
  if (!g.is_valid_gpu || !g.vram_gb) return out;
  const ScoringConfig& c = scoring_;

  // Quantization score: the share of configured model sizes with at least one copy on the card,
  // and the capable verdict.
  const std::size_t sizes = quant_sizes_;
  const double fit_share =
      sizes == 0 ? 0.0 : static_cast<double>(capacity_.sizes_that_fit(*g.vram_gb)) / static_cast<double>(sizes);
  const bool capable = capable_.judge(g).first;
  out.quantization_score =
      100.0 * (c.quantization_fit_share * fit_share + (1.0 - c.quantization_fit_share) * (capable ? 1.0 : 0.0));

  const double vram = std::min(1.0, std::log2(1.0 + *g.vram_gb) / std::log2(1.0 + c.vram_full_gb));
  const double mig = g.mig_support ? std::min(1.0, static_cast<double>(*g.mig_support) / c.mig_full_instances) : 0.0;
  const double nvlink = g.nvlink.value_or(false) ? 1.0 : 0.0;
  const double tdp = g.tdp_watts ? c.tdp_half_watts / (c.tdp_half_watts + static_cast<double>(*g.tdp_watts)) : 0.0;
  const double price = out.unit_price_usd ? c.price_half_usd / (c.price_half_usd + *out.unit_price_usd) : 0.0;
  const double raw = w_.vram * vram + w_.mig * mig + w_.nvlink * nvlink + w_.tdp * tdp + w_.price * price +
                     w_.quantization * (*out.quantization_score / 100.0);
  out.raw_score = raw;
  out.score = 100.0 * raw / weight_sum_;
  return out;
}

ScoreStage::ScoreStage(ScoringConfig scoring, const QuantizationHeuristicConfig& quantization,
                       const Currencies& currencies)
    : scorer_(std::move(scoring), quantization, currencies) {}

void ScoreStage::bind(Header& header) {
  auto columns = std::make_shared<ListingColumns>(header, /*read_capacity=*/false);
  columns->require({"vram_gb"}, "score", "(run 'glyphsieve enrich' first)");
  columns_ = std::move(columns);
  unit_ = header.ensure("unit_price_usd");
  raw_ = header.ensure("raw_score");
  quant_ = header.ensure("quantization_score");
  score_ = header.ensure("score");
}

RowOutcome ScoreStage::process(Row& row, std::int64_t /*line*/) {
  ++rows_;
  if (auto problem = columns_->parse(row, listing_)) return RowOutcome::reject(std::move(*problem));
  const ScoreBreakdown s = scorer_.score(listing_);
  const auto put = [&](std::size_t column, const std::optional<double>& v, int decimals) {
    if (v) {
      assign_fixed(row[column], *v, decimals);
    } else {
      row[column].clear();
    }
  };
  put(unit_, s.unit_price_usd, 2);
  put(raw_, s.raw_score, 3);
  put(quant_, s.quantization_score, 1);
  put(score_, s.score, 1);
  if (s.score) ++scored_;
  if (s.score && !s.unit_price_usd) ++unpriced_;
  return RowOutcome::keep();
}

void ScoreStage::merge(const Stage& other) {
  const auto& o = dynamic_cast<const ScoreStage&>(other);
  rows_ += o.rows_;
  scored_ += o.scored_;
  unpriced_ += o.unpriced_;
}

std::string ScoreStage::describe() const {
  std::string weights;
  for (const auto& [name, weight] : scorer_.config().weights) {
    weights += fmt::format("{}{} {}", weights.empty() ? "" : ", ", name, weight);
  }
  return "weights " + weights;
}

std::string ScoreStage::summary() const {
  return fmt::format("scored {}, not scored {} (not a GPU or unknown VRAM), scored without a USD price {}", scored_,
                     rows_ - scored_, unpriced_);
}

}  // namespace glyphsieve
