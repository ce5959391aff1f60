// Thread placement for the solvers' parallel regions (include/mf_threads.h; Linux, elsewhere the
// calls report "unknown" and do nothing).
#define _GNU_SOURCE
#include "mf_threads.h"

#if defined(__linux__)
#include <sched.h>

static __thread cpu_set_t mf_saved_cpus;
static __thread int mf_moved;

int mf_current_cpu(void) { return sched_getcpu(); }

int mf_allowed_cpus(void) {
    cpu_set_t allowed;
    return sched_getaffinity(0, sizeof allowed, &allowed) == 0 ? CPU_COUNT(&allowed) : -1;
}

int mf_avoid_cpu(int cpu) {
    if (mf_moved || cpu < 0 || cpu >= CPU_SETSIZE || sched_getcpu() != cpu) return 0;
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || !CPU_ISSET(cpu, &allowed) || CPU_COUNT(&allowed) < 2) return 0;
    mf_saved_cpus = allowed;
    CPU_CLR(cpu, &allowed);
    if (sched_setaffinity(0, sizeof allowed, &allowed) != 0) return 0;
    mf_moved = 1;
    return 1;
}

void mf_restore_cpus(void) {
    if (!mf_moved) return;
    sched_setaffinity(0, sizeof mf_saved_cpus, &mf_saved_cpus);
    mf_moved = 0;
}
#else
int mf_current_cpu(void) { return -1; }
int mf_allowed_cpus(void) { return -1; }
int mf_avoid_cpu(int cpu) { (void)cpu; return 0; }
void mf_restore_cpus(void) {}
#endif
