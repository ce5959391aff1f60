// Thread placement for the solvers' parallel regions (Linux; elsewhere the calls report
// "unknown" and do nothing).
#ifndef MFTOOL_CKERNELS_THREADS_H
#define MFTOOL_CKERNELS_THREADS_H

#ifdef __cplusplus
extern "C" {
#endif

/// The CPU the calling thread runs on, or -1 where unknown.
int mf_current_cpu(void);
/// How many CPUs the calling thread may run on, or -1 where unknown.
int mf_allowed_cpus(void);
/// When the calling thread runs on `cpu` and may run elsewhere, restricts it to its other
/// allowed CPUs (the scheduler moves it at once) and returns 1; otherwise returns 0. A helper
/// thread woken onto the CPU of the thread that woke it, which keeps that CPU busy, would wait
/// for it until the load balancer runs, while another CPU idles.
int mf_avoid_cpu(int cpu);
/// Restores the calling thread's CPUs as they were before mf_avoid_cpu moved it.
void mf_restore_cpus(void);

#ifdef __cplusplus
}
#endif

#endif
