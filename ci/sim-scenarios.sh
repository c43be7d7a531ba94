# Sourced by the defect scripts: sets `scenarios` to the shipped sim
# scenarios below $here, the incident's own first. A live (cluster)
# scenario takes seconds per case and would spend a script's whole time
# limit on every defect it does not catch.
scenarios=("$here"/examples/scenarios/okx-2023-08-14.toml)
for f in "$here"/examples/scenarios/*.toml; do
  grep -Eq '^target[[:space:]]*=[[:space:]]*"cluster"' "$f" && continue
  [ "$f" = "${scenarios[0]}" ] || scenarios+=("$f")
done
