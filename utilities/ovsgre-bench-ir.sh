#! /bin/sh
# Instructions per packet of ovs-gre's and OVS 3.1's push and pop, under
# callgrind: for every row of ovsgre-bench (64-byte inner frames by
# default), both directions and both sides, runs
#
#   valgrind --tool=callgrind --toggle-collect=bench_run \
#       ovsgre-bench --callgrind --row ROW --size SIZE --dir DIR --side SIDE
#
# and prints Ir / (iterations * 32).  Instruction counts do not depend on
# the machine's load.
#
# usage: ovsgre-bench-ir.sh BENCH [SIZE [ITERATIONS]]

bench=${1:?usage: ovsgre-bench-ir.sh BENCH [SIZE [ITERATIONS]]}
size=${2:-64}
iterations=${3:-2000}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# Prints the instructions per packet of one run.
ir() {
    valgrind --tool=callgrind --toggle-collect=bench_run \
        --callgrind-out-file="$out" "$bench" --callgrind --row "$1" \
        --size "$size" --dir "$2" --side "$3" --iterations "$iterations" \
        2>&1 | sed -n 's/.*Collected : *//p' \
        | awk -v n="$iterations" '{ printf "%d", $1 / (n * 32) + 0.5 }'
}

printf '%-14s %4s %6s %7s %6s\n' row dir OVS ovs-gre ratio
for row in "gre" "gre key" "gre key+csum" "gre key+seq" "gre legacy_l3" \
           "erspan v1" "erspan v2" "ip6gre" "ip6erspan v2"; do
    for dir in push pop; do
        ovs=$(ir "$row" $dir ovs)
        ours=$(ir "$row" $dir ours)
        awk -v r="$row" -v d=$dir -v o="$ovs" -v u="$ours" 'BEGIN {
            printf "%-14s %4s %6d %7d %5.2fx\n", r, d, o, u, o / u }'
    done
done
