#!/usr/bin/env bash
# Model-checks the payment protocol (docs/models/payments.pml, described in docs/payments.md
# "Model") with spin: the model must pass an exhaustive search (no assertion violated, no
# invalid end state, search complete), and every deliberately broken variant (a BROKEN_*
# define weakening one step's condition) must be rejected. Needs spin and gcc
# (scripts/system-deps.sh test installs them).
#
#   scripts/check-model.sh            the model and every broken variant
#   scripts/check-model.sh correct    the model only
#   scripts/check-model.sh BROKEN_X   one broken variant only
set -uo pipefail
cd "$(dirname "$0")/.."

model=docs/models/payments.pml
variants=(BROKEN_MARKPAID BROKEN_REBOOK_SEATS BROKEN_REBOOK_AFTER_REFUND BROKEN_REFUND_TWICE
  BROKEN_REFUND_NOT_IDEMPOTENT BROKEN_SHOW_CANCEL)
for tool in spin gcc; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "check-model: $tool is missing; install it with: sudo apt-get install -y spin gcc (or bash scripts/system-deps.sh test)" >&2
    exit 1
  }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$model" "$work/model.pml"

# Runs pan for one variant ("correct" or a BROKEN_* name); sets `out` to its report.
search() {
  local name=$1 dir="$work/$1" defines=()
  [[ $name == correct ]] || defines=("-D$name")
  mkdir -p "$dir"
  (cd "$dir" && spin ${defines[@]+"${defines[@]}"} -a ../model.pml >spin.log 2>&1) || {
    cat "$dir/spin.log" >&2
    return 2
  }
  gcc -O1 -w -DSAFETY -DCOLLAPSE -DMEMLIM=1024 -o "$dir/pan" "$dir/pan.c" || return 2
  out=$(cd "$dir" && ./pan -m100000 2>&1)
}
field() { grep -Eo "$1" <<<"$out" | head -1; }

failed=0
run() {
  local name=$1 start=$SECONDS errors states
  echo "==> $name: spin -a, gcc -DSAFETY, pan (exhaustive)"
  search "$name" || { echo "FAIL $name: the model did not build"; failed=1; return; }
  errors=$(field 'errors: [0-9]+' | grep -Eo '[0-9]+')
  states=$(field '[0-9.e+]+ states, stored')
  if [[ $name == correct ]]; then
    if [[ $errors == 0 ]] && ! grep -q 'Search not completed\|max search depth too small\|MEMLIM' <<<"$out"; then
      echo "PASS correct: $states, $(field '[0-9.e+]+ transitions'), depth $(field 'depth reached [0-9]+' | grep -Eo '[0-9]+'), $((SECONDS - start)) s"
    else
      echo "$out"
      echo "FAIL correct: the model breaks an invariant or the search did not complete"
      failed=1
    fi
  else
    if [[ ${errors:-0} -gt 0 ]]; then
      echo "CAUGHT $name: $(grep -Eo 'assertion violated +[^ ]+' <<<"$out" | head -1 | tr -s ' ') (after $states, $((SECONDS - start)) s)"
    else
      echo "$out"
      echo "FAIL $name: the broken variant PASSES, so the check would not notice this bug"
      failed=1
    fi
  fi
}

if (($# == 0)); then set -- correct "${variants[@]}"; fi
for name in "$@"; do run "$name"; done
exit $failed
