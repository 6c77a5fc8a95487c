// Pipeline::run — the table of contents of a glyphsieve run: bind, stream, account. With --threads, the
// leading stages that can be cloned run on worker threads over batches of rows; everything a user can
// observe (output, rejects, callbacks, the counts) happens on the calling thread in input order.
#include "glyphsieve/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {

// Two input columns with the same name, one of which a stage reads or writes: which one is meant
// cannot be known, so the run stops. Duplicates no stage uses (two blank names, say) pass through.
void refuse_ambiguous_duplicates(const Header& header, std::size_t input_width, const Location& where) {
  std::unordered_map<std::string_view, std::size_t> first;
  for (std::size_t i = 0; i < input_width; ++i) {
    const std::string& name = header.names()[i];
    const auto [it, fresh] = first.emplace(name, i);
    if (!fresh && !name.empty() && header.used(name)) {
      throw_data_error(fmt::format("column '{}' appears twice in the header (fields {} and {}); rename one so it is "
                                   "clear which to use",
                                   name, it->second + 1, i + 1),
                       where);
    }
  }
}

// Runs `f`, which judges the header (a stage binding, the report checking its columns): an Error it
// throws without a file is a problem with the header, so it gets the input's name and header line.
template <typename F>
void at_header(F&& f, const std::string& file, std::int64_t header_line) {
  try {
    f();
  } catch (const Error& e) {
    if (!e.where().file.empty()) throw;
    throw Error(e.code(), e.message(), Location{file, header_line, 0, e.where().field});
  }
}

}  // namespace

Pipeline& Pipeline::add(std::unique_ptr<Stage> stage) {
  stages_.push_back(std::move(stage));
  return *this;
}

namespace {

using Clock = std::chrono::steady_clock;

// What the stages of one lane decided about a row.
struct Slot {
  RowOutcome outcome;       // kKeep: the row went through every stage of the lane
  std::size_t fields = 0;   // for a reject: how many of the row's fields the rejects file gets
  bool read_error = false;  // rejected by the reader check, before any stage
};

// A set of stage instances used by one thread, with that thread's row counts and time per stage.
// Stage k of the pipeline is stages[k - first].
struct Lane {
  std::size_t first = 0;
  std::vector<Stage*> stages;
  std::vector<std::unique_ptr<Stage>> clones;  // owned by worker lanes
  std::vector<std::int64_t> rows_in;
  std::vector<Clock::duration> spent;
  const std::vector<CsvWriter*>* intermediates = nullptr;
  const std::vector<std::size_t>* widths = nullptr;
  std::size_t input_width = 0;
  // Worker lanes that run every stage also format kept rows as CSV, while the cells are in this
  // core's cache; the calling thread then only copies bytes. `safe`: the writer's --safe-csv.
  bool format = false;
  bool safe = false;

  void add(Stage* stage) {
    stages.push_back(stage);
    rows_in.push_back(0);
    spent.push_back(Clock::duration::zero());
  }

  // Runs the lane's stages on `row` until one rejects or filters it.
  Slot process(Row& row, std::int64_t line) {
    Slot slot;
    auto t0 = Clock::now();  // one clock read per stage boundary
    for (std::size_t i = 0; i < stages.size(); ++i) {
      const std::size_t k = first + i;
      ++rows_in[i];
      slot.outcome = stages[i]->process(row, line);
      const auto t1 = Clock::now();
      spent[i] += t1 - t0;
      t0 = t1;
      if (slot.outcome.kind == RowOutcome::kReject) {
        slot.fields = input_width;
        return slot;
      }
      if (intermediates && k < intermediates->size() && (*intermediates)[k]) {
        (*intermediates)[k]->write_row(row, (*widths)[k]);
        t0 = Clock::now();  // the write is not the next stage's time
      }
      if (slot.outcome.kind == RowOutcome::kFilter) return slot;
    }
    return slot;
  }
};

// Rows handed to a worker together; reused once consumed, so their cells keep their capacity.
struct Batch {
  std::vector<Row> rows;
  std::vector<std::int64_t> lines;
  std::vector<Slot> slots;
  std::string csv;                   // with Lane::format: the kept rows as CSV text, in order
  std::vector<std::size_t> csv_end;  // row i's text is csv[csv_end[i - 1], csv_end[i])
  std::size_t count = 0;
  std::exception_ptr error;  // thrown by a stage at row failed_at; rows after it were not processed
  std::size_t failed_at = 0;
  bool done = false;  // guarded by WorkerPool::mutex
};

// Worker threads, each with its own lane, taking batches from one queue.
class WorkerPool {
 public:
  explicit WorkerPool(std::vector<Lane> lanes) : lanes_(std::move(lanes)) {
    for (auto& lane : lanes_) threads_.emplace_back([this, &lane] { work(lane); });
  }
  ~WorkerPool() {
    {
      const std::lock_guard lock(mutex_);
      stop_ = true;
    }
    work_ready_.notify_all();
    for (auto& t : threads_) t.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(Batch* batch) {
    {
      const std::lock_guard lock(mutex_);
      queue_.push_back(batch);
    }
    work_ready_.notify_one();
  }
  void wait(const Batch& batch) {
    std::unique_lock lock(mutex_);
    batch_done_.wait(lock, [&] { return batch.done; });
  }
  std::vector<Lane>& lanes() { return lanes_; }

 private:
  void work(Lane& lane) {
    while (true) {
      Batch* b = nullptr;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        b = queue_.front();
        queue_.pop_front();
      }
      b->csv.clear();
      b->csv_end.resize(b->count);
      for (std::size_t i = 0; i < b->count; ++i) {
        if (!b->slots[i].read_error) {
          try {
            b->slots[i] = lane.process(b->rows[i], b->lines[i]);
          } catch (...) {
            b->error = std::current_exception();
            b->failed_at = i;
            break;
          }
          if (lane.format && b->slots[i].outcome.kind == RowOutcome::kKeep) {
            CsvWriter::format_row(b->rows[i], b->rows[i].size(), lane.safe, b->csv);
          }
        }
        b->csv_end[i] = b->csv.size();
      }
      {
        const std::lock_guard lock(mutex_);
        b->done = true;
      }
      batch_done_.notify_all();
    }
  }

  std::vector<Lane> lanes_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable work_ready_, batch_done_;
  std::deque<Batch*> queue_;
  bool stop_ = false;
};

constexpr std::size_t kBatchRows = 512;

}  // namespace

// One run: the bound header and the accounting, shared by the serial and the threaded loop.
class Pipeline::Run {
 public:
  Run(Pipeline& p, CsvReader& in, CsvWriter& out, const RunOptions& options)
      : stages_(p.stages_), in_(in), out_(out), options_(options) {}

  RunStats go() {
    bind();
    // The leading stages that can be cloned may run on workers; the rest run here, in order.
    std::size_t parallel = 0;
    const bool intermediates =
        std::any_of(options_.intermediates.begin(), options_.intermediates.end(), [](auto* w) { return w; });
    if (options_.threads > 1 && !intermediates) {
      // A trial clone per stage, once per run: cheap, and the only question a stage is asked about it.
      while (parallel < stages_.size() && stages_[parallel]->clone()) ++parallel;
    }
    Lane here = lane(parallel);
    for (std::size_t k = parallel; k < stages_.size(); ++k) here.add(stages_[k].get());
    if (parallel == 0) {
      serial(here);
    } else {
      threaded(parallel, here);
    }
    for (std::size_t k = 0; k < stages_.size(); ++k) {
      stats_.stages.push_back({std::string(stages_[k]->name()), rows_in_[k],
                               std::chrono::duration<double>(spent_[k]).count(), stages_[k]->summary()});
    }
    return std::move(stats_);
  }

 private:
  void bind() {
    Row row;
    if (!in_.next(row)) throw_data_error("empty input: no header row", Location{in_.name()});
    const std::int64_t header_line = in_.record_line();
    if (const auto& p = in_.problem()) {
      // Columns without a readable name cannot be mapped, so header damage is fatal.
      throw_data_error(fmt::format("header, field {}: {}", p->field + 1, p->what), Location{in_.name(), header_line});
    }
    input_width_ = row.size();
    header_ = Header(row);
    // Bind every stage; each may append columns. widths_[k] = columns present after stage k.
    for (auto& stage : stages_) {
      at_header([&] { stage->bind(header_); }, in_.name(), header_line);
      widths_.push_back(header_.size());
    }
    refuse_ambiguous_duplicates(header_, input_width_, Location{in_.name(), header_line});
    if (options_.on_note) {
      for (auto& stage : stages_) {
        for (const auto& note : stage->notes()) options_.on_note(std::string(stage->name()), note);
      }
    }
    width_ = header_.size();
    if (options_.on_header) at_header([&] { options_.on_header(header_.names()); }, in_.name(), header_line);
    out_.write_row(header_.names());
    for (std::size_t k = 0; k < stages_.size() && k < options_.intermediates.size(); ++k) {
      if (options_.intermediates[k]) options_.intermediates[k]->write_row(header_.names(), widths_[k]);
    }
    rows_in_.assign(stages_.size(), 0);
    spent_.assign(stages_.size(), Clock::duration::zero());
  }

  Lane lane(std::size_t first) {
    Lane l;
    l.first = first;
    l.intermediates = &options_.intermediates;
    l.widths = &widths_;
    l.input_width = input_width_;
    return l;
  }

  // Adds a lane's counts to the run's, stage k of the pipeline being lane stage k - lane.first.
  void account(const Lane& l) {
    for (std::size_t i = 0; i < l.stages.size(); ++i) {
      rows_in_[l.first + i] += l.rows_in[i];
      spent_[l.first + i] += l.spent[i];
    }
  }

  // Reads the next record into `row`. A record the reader or the header width rules out is a reject
  // decided here; any other row is widened to the final header for the stages.
  // The record is read into scratch_ and its cells swapped into `row`, so that `row` keeps the cells
  // the stages append, with their capacity: no cell is freed and allocated again per row.
  bool read(Row& row, std::int64_t& line, Slot& slot) {
    if (!in_.next(scratch_)) return false;
    ++stats_.input_rows;
    line = in_.record_line();
    slot = Slot{};
    if (scratch_.size() != input_width_) {
      slot = {RowOutcome::reject(fmt::format("expected {} fields, found {}", input_width_, scratch_.size())),
              scratch_.size(), true};
      row.swap(scratch_);
    } else if (const auto& p = in_.problem()) {
      slot = {RowOutcome::reject(
                  fmt::format("column '{}' (field {}): {}", header_.names()[p->field], p->field + 1, p->what)),
              input_width_, true};
      row.swap(scratch_);
    } else {
      row.resize(width_);
      std::swap_ranges(scratch_.begin(), scratch_.end(), row.begin());
      for (std::size_t k = input_width_; k < width_; ++k) row[k].clear();
    }
    return true;
  }

  // The in-order end of a row: the outcome of the stages run so far (`slot`), then `rest`, then the
  // output, the callbacks and the counts.
  // `text`: the row already formatted by a worker (Lane::format), or nullopt.
  void finish(Row& row, std::int64_t line, Slot s, Lane& rest, std::optional<std::string_view> text = std::nullopt) {
    if (s.outcome.kind == RowOutcome::kKeep && !s.read_error) s = rest.process(row, line);
    if (s.outcome.kind == RowOutcome::kReject) {
      if (options_.strict) throw_data_error(s.outcome.reason + " (--strict)", Location{in_.name(), line});
      ++stats_.rejected;
      if (options_.on_reject) options_.on_reject(line, s.outcome.reason, row, s.fields);
      return;
    }
    if (s.outcome.kind == RowOutcome::kFilter) {
      ++stats_.filtered;
      if (options_.on_row) options_.on_row(row, line, false);
      return;
    }
    if (text) {
      out_.write_formatted(*text);
    } else {
      out_.write_row(row);
    }
    ++stats_.written;
    if (options_.on_row) options_.on_row(row, line, true);
  }

  void serial(Lane& all) {
    Row row;
    std::int64_t line = 0;
    Slot slot;
    while (read(row, line, slot)) finish(row, line, slot, all);
    account(all);
  }

  void threaded(std::size_t parallel, Lane& rest) {
    // Batches are declared before the pool so that they outlive its threads.
    const std::size_t max_in_flight = 4 * static_cast<std::size_t>(options_.threads);
    // With no stage left for this thread, the workers also format the kept rows (Lane::format).
    const bool workers_format = parallel == stages_.size();
    std::vector<std::unique_ptr<Batch>> batches;
    std::vector<Batch*> free;
    std::vector<Lane> lanes;
    for (int t = 0; t < options_.threads; ++t) {
      Lane l = lane(0);
      for (std::size_t k = 0; k < parallel; ++k) {
        l.clones.push_back(stages_[k]->clone());
        l.add(l.clones.back().get());
      }
      l.intermediates = nullptr;
      l.format = workers_format;
      l.safe = out_.safe();
      lanes.push_back(std::move(l));
    }
    WorkerPool pool(std::move(lanes));
    std::deque<Batch*> in_flight;
    bool eof = false;
    std::exception_ptr read_error;  // raised after the rows read before it are finished, as in serial
    while (true) {
      while (!eof && in_flight.size() < max_in_flight) {
        if (free.empty()) {
          batches.push_back(std::make_unique<Batch>());
          free.push_back(batches.back().get());
        }
        Batch* b = free.back();
        free.pop_back();
        b->count = 0;
        b->error = nullptr;
        b->done = false;
        try {
          while (b->count < kBatchRows) {
            if (b->rows.size() == b->count) {
              b->rows.emplace_back();
              b->lines.push_back(0);
              b->slots.emplace_back();
            }
            if (!read(b->rows[b->count], b->lines[b->count], b->slots[b->count])) {
              eof = true;
              break;
            }
            ++b->count;
          }
        } catch (...) {
          read_error = std::current_exception();
          eof = true;
        }
        if (b->count == 0) {
          free.push_back(b);
          break;
        }
        pool.submit(b);
        in_flight.push_back(b);
      }
      if (in_flight.empty()) break;
      Batch* b = in_flight.front();
      in_flight.pop_front();
      pool.wait(*b);
      for (std::size_t i = 0; i < b->count; ++i) {
        if (b->error && i == b->failed_at) std::rethrow_exception(b->error);
        std::optional<std::string_view> text;
        if (workers_format) {
          const std::size_t from = i ? b->csv_end[i - 1] : 0;
          text = std::string_view(b->csv).substr(from, b->csv_end[i] - from);
        }
        finish(b->rows[i], b->lines[i], b->slots[i], rest, text);
      }
      free.push_back(b);
    }
    if (read_error) std::rethrow_exception(read_error);
    account(rest);
    for (auto& l : pool.lanes()) {
      account(l);
      for (std::size_t k = 0; k < parallel; ++k) stages_[k]->merge(*l.clones[k]);
    }
  }

  std::vector<std::unique_ptr<Stage>>& stages_;
  CsvReader& in_;
  CsvWriter& out_;
  const RunOptions& options_;
  RunStats stats_;
  Header header_;
  std::size_t input_width_ = 0, width_ = 0;
  std::vector<std::size_t> widths_;
  std::vector<std::int64_t> rows_in_;
  std::vector<Clock::duration> spent_;
  Row scratch_;
};

RunStats Pipeline::run(CsvReader& in, CsvWriter& out, const RunOptions& options) {
  return Run(*this, in, out, options).go();
}

}  // namespace glyphsieve
