#!/usr/bin/env bash
# Runs one golden case against the real binary and compares everything it produced.
# Usage: run_case.sh BINARY CASE_DIR SOURCE_DIR      (GOLDEN_UPDATE=1 rewrites the expectations)
#
# A case folder (tests/golden/cases/<name>/ or the bad-input corpus, tests/data/bad/<name>/) holds:
#   args         the command line after "glyphsieve" (bash words; @SRC@ = repository root,
#                @BIN@ = the binary, for cases that chain several runs)
#   script       instead of args: a bash script run in the scratch folder with $GLYPHSIEVE set to the
#                binary (for signals and other choreography); its stdout/stderr/exit code are compared
#   setup/       optional: files copied into the scratch folder before the run
#   prepare      optional: bash script run in the scratch folder before the run, to generate inputs too
#                big or too odd to commit (a 17 MiB field, 10,000 columns); what it makes is input:
#                it must be left unchanged and is not compared with files/
#   stdin        optional: fed to standard input (else /dev/null)
#   exit_code    expected exit status
#   stdout       expected standard output (byte for byte)
#   stderr       expected standard error, with timings ("0.123 s") replaced by "X s"
#   files/       expected files left in the scratch folder; any other file there is a failure
#                (this is how "no partial output" is checked)
#   no_accounting  optional: why this case prints no row-accounting line (e.g. killed by SIGPIPE)
#
# Checked on every case besides the expectations above:
#   - inputs are never modified: every file present before the run is byte-identical after it;
#   - row accounting: every "N rows read = W written + R rejected + F filtered" line on stderr adds up,
#     the output CSV named after "->" holds W records and a --rejects file R records; a run that
#     reads an --input and succeeds must print that line (unless no_accounting says why not).
set -u
bin=$1 case_dir=$(cd "$2" && pwd) src=$3
work=$(mktemp -d)
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
name=$(basename "$case_dir")
stdin=/dev/null
[[ -f $case_dir/stdin ]] && stdin=$case_dir/stdin
mkdir -p "$work/run"
[[ -d $case_dir/setup ]] && cp -r "$case_dir/setup/." "$work/run/"
if [[ -f $case_dir/prepare ]]; then
  (cd "$work/run" && SRC=$src bash "$case_dir/prepare") || { echo "golden: $name: prepare failed"; exit 1; }
fi
# Everything present now is input: remember its checksums, and which files the prepare step made.
(cd "$work/run" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) >"$work/before"
(cd "$work/run" && find . -type f | sort) >"$work/inputs"
if [[ -f $case_dir/script ]]; then
  (cd "$work/run" && GLYPHSIEVE=$bin SRC=$src bash "$case_dir/script" <"$stdin" >"$work/stdout" 2>"$work/stderr.raw")
  args=""
else
  args=$(sed -e "s|@SRC@|$src|g" -e "s|@BIN@|$bin|g" "$case_dir/args")
  (cd "$work/run" && eval "\"$bin\" $args" <"$stdin" >"$work/stdout" 2>"$work/stderr.raw")
fi
echo $? >"$work/exit_code"
if [[ -f $case_dir/script && $(cat "$work/exit_code") == 77 ]]; then
  echo "golden: $name: skipped: $(head -1 "$work/stdout")"
  exit 77
fi
# What differs from run to run or from checkout to checkout, in stderr, stdout and the files a run
# writes: timings ("0.123 s", JSON "seconds": 0.123), the source and binary paths, and the build's
# `git describe` (in --version and in the provenance of reports).
git_describe=$("$bin" --version | sed -n 's/.*(\(.*\)).*/\1/p')
normalise=(-E -e 's/[0-9]+\.[0-9]{3} s/X s/g' -e 's/"seconds": [0-9.]+/"seconds": X/g' -e "s|$src|@SRC@|g"
  -e "s|$bin|@BIN@|g")
[[ -n $git_describe ]] && normalise+=(-e "s|$git_describe|@GIT@|g")
sed "${normalise[@]}" "$work/stderr.raw" >"$work/stderr"
sed -i "${normalise[@]}" "$work/stdout"

fail=0
problem() {
  echo "golden: $name: $*"
  fail=1
}

# Inputs unchanged (a file the case expects to be replaced, e.g. through a symlink, is listed in files/).
while read -r sum path; do
  [[ -e $case_dir/files/${path#./} ]] && continue
  if [[ ! -f $work/run/$path ]]; then
    problem "input $path was removed"
  elif [[ $(sha256sum <"$work/run/$path" | cut -d' ' -f1) != "$sum" ]]; then
    problem "input $path was modified"
  fi
done <"$work/before"

# Records in a CSV written by glyphsieve (LF line ends; a record ends where the quotes balance).
records() { awk '{ q += gsub(/"/, "\""); if (q % 2 == 0) { n++; q = 0 } } END { print n + 0 }' "$1"; }
# The value following option $1 in the command line, if any.
option_value() { grep -oE -- "(^| )$1 [^ ]+" <<<"$args" | head -1 | awk '{print $2}'; }

accounting=$(grep -E 'rows read = [0-9]+ written' "$work/stderr" || true)
while IFS= read -r line; do
  [[ -z $line ]] && continue
  if [[ ! $line =~ :\ ([0-9]+)\ rows\ read\ =\ ([0-9]+)\ written\ \+\ ([0-9]+)\ rejected\ \+\ ([0-9]+)\ filtered(\ -\>\ (.*))?$ ]]; then
    problem "malformed accounting line: $line"
    continue
  fi
  read_n=${BASH_REMATCH[1]} written=${BASH_REMATCH[2]} rejected=${BASH_REMATCH[3]} filtered=${BASH_REMATCH[4]}
  out=${BASH_REMATCH[6]}
  ((read_n == written + rejected + filtered)) || problem "rows do not add up: $line"
  if [[ -n $out && $line != glyphsieve\ report:* && -f $work/run/$out ]]; then
    got=$(($(records "$work/run/$out") - 1))
    ((got == written)) || problem "$out holds $got records, the summary says $written written"
  fi
done <<<"$accounting"
rejects=$(option_value --rejects)
if [[ -n $rejects && -f $work/run/$rejects && $(wc -l <<<"$accounting") -eq 1 && -n $accounting ]]; then
  got=$(($(records "$work/run/$rejects") - 1))
  [[ $accounting == *" $got rejected "* ]] || problem "$rejects holds $got records: $accounting"
fi
if [[ $(cat "$work/exit_code") == 0 && -z $accounting && ! -f $case_dir/no_accounting ]] &&
  grep -qE -- '(^| )(-i|--input) ' <<<"$args"; then
  problem "a successful run over an input printed no row-accounting line"
fi

# The files the run wrote (not the inputs, checked unchanged above) get the same normalisation.
while IFS= read -r -d '' f; do
  grep -qxF "./${f#"$work/run/"}" "$work/inputs" || sed -i "${normalise[@]}" "$f"
done < <(find "$work/run" -type f -print0)

# Before comparing with files/: forget what the prepare step generated (it was checked unchanged
# above) and empty folders (git cannot hold them, so files/ never has any).
drop_generated_inputs() {
  if [[ -f $case_dir/prepare ]]; then
    (cd "$work/run" && while read -r f; do [[ -e $case_dir/setup/${f#./} ]] || rm -f "$f"; done <"$work/inputs")
  fi
  find "$work/run" -mindepth 1 -type d -empty -delete
}

if [[ ${GOLDEN_UPDATE:-} == 1 ]]; then
  cp "$work/exit_code" "$work/stdout" "$work/stderr" "$case_dir/"
  rm -rf "$case_dir/files"
  # Expected files: what the run left, less what the prepare step generated.
  drop_generated_inputs
  if [[ -n $(ls -A "$work/run") ]]; then cp -r "$work/run" "$case_dir/files"; fi
  echo "updated $case_dir"
  exit $fail
fi

for f in exit_code stdout stderr; do
  if ! diff -u "$case_dir/$f" "$work/$f" >"$work/diff"; then
    problem "$f differs:"
    head -40 "$work/diff"
  fi
done
drop_generated_inputs
expected_files=$case_dir/files
[[ -d $expected_files ]] || expected_files=$work/empty
mkdir -p "$work/empty"
if ! diff -ru "$expected_files" "$work/run" >"$work/diff"; then
  problem "output files differ:"
  head -60 "$work/diff"
fi
exit $fail
