// The stage contract: a stage binds to a header once, then transforms rows in place, one at a time.
// Stages never open files, read argv or parse YAML: they are built from typed resources and options.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "glyphsieve/csv/reader.hpp"

namespace glyphsieve {

/// Column names with lookup. Stages append their columns, or reuse a column of the same name already
/// present (so running a stage twice yields the same file).
class Header {
 public:
  Header() = default;
  explicit Header(std::vector<std::string> names) : names_(std::move(names)) {}

  const std::vector<std::string>& names() const { return names_; }
  std::size_t size() const { return names_.size(); }
  /// Index of the first column named `name`, if any. Remembers the name as used (see used()).
  std::optional<std::size_t> find(std::string_view name) const;
  /// Index of `name`, appending it when absent.
  std::size_t ensure(std::string_view name);
  void rename(std::size_t index, std::string name) { names_.at(index) = std::move(name); }
  /// True when a stage looked `name` up with find() or ensure(): a duplicate of such a column in the
  /// input would be ambiguous (the pipeline refuses it); duplicates of unused columns pass through.
  bool used(std::string_view name) const;

 private:
  std::vector<std::string> names_;
  mutable std::vector<std::string> used_;  // names looked up so far, in first-lookup order
};

/// What a stage decided about one row.
struct RowOutcome {
  enum Kind { kKeep, kFilter, kReject } kind = kKeep;
  std::string reason;  ///< for kReject: "column 'price': cannot parse ..."; for kFilter: short tag

  static RowOutcome keep() { return {}; }
  static RowOutcome filter(std::string why) { return {kFilter, std::move(why)}; }
  static RowOutcome reject(std::string why) { return {kReject, std::move(why)}; }
};

class Stage {
 public:
  virtual ~Stage() = default;
  /// Stable name: the subcommand, the stage_<name>.csv intermediate and the summary label.
  virtual std::string_view name() const = 0;
  /// Resolves the columns the stage reads and adds (or finds) the ones it writes.
  /// Throws Error when a column it needs is missing. Called once, before any row.
  virtual void bind(Header& header) = 0;
  /// Transforms one row. REQUIRES: bind() was called and row.size() equals the final header size
  /// (columns appended by later stages are present and empty). `line` is the row's input line.
  virtual RowOutcome process(Row& row, std::int64_t line) = 0;
  /// Human summary of what the stage did ("prices parsed 280, missing 25"), for stderr.
  virtual std::string summary() const = 0;
  /// What this stage will do, with its thresholds and strategies, for --dry-run ("flag duplicates",
  /// "strategies: quantization_capable, quantization_capacity"). Empty by default. Callable before bind().
  virtual std::string describe() const { return {}; }
  /// Notes to print once on stderr after bind() (e.g. the header mapping). Empty by default.
  virtual std::vector<std::string> notes() const { return {}; }
  /// For --threads: a copy that processes other rows on another thread, made after bind() and before
  /// any row (the same bound columns and read-only resources; its own counters and caches). nullptr,
  /// the default, means rows must reach this stage one at a time in input order (dedup: whether a
  /// row is a duplicate depends on the rows before it).
  virtual std::unique_ptr<Stage> clone() const { return nullptr; }
  /// Adds the counts of `other`, a clone() of this stage, so summary() covers the rows of both.
  /// Summaries are therefore the same whatever the thread count.
  virtual void merge(const Stage& other) { (void)other; }
};

}  // namespace glyphsieve
