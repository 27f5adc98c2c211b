/* Per-call cost of a trivial libxmppdna call from C, the baseline the
 * bindings are compared with (bench/run-call-overhead.sh). Monotonic clock,
 * median of repeated rounds.   Usage: call_overhead ROUNDS CALLS */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <xmppdna.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 9;
    long calls = argc > 2 ? atol(argv[2]) : 10000000;
    double per_call[64];
    volatile int sink = 0;
    if (rounds > 64) rounds = 64;
    for (int r = 0; r < rounds; r++) {
        double start = now();
        for (long i = 0; i < calls; i++) sink += xmppdna_version_number();
        per_call[r] = (now() - start) / calls;
    }
    qsort(per_call, rounds, sizeof per_call[0], compare);
    printf("| C, direct: xmppdna_version_number | %.1f |\n", per_call[rounds / 2]);
    return sink == 0;
}
