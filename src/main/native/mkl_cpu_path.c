/*
 * Answers oneMKL's "is this an Intel CPU?" with yes.
 *
 * libtorch links oneMKL statically and exports its internal symbols. oneMKL asks
 * mkl_serv_intel_cpu_true() before it picks a code path for its matrix products, and on any other
 * vendor's CPU it takes a generic path, leaving the CPU's AVX2 and AVX-512 unused (measured on a
 * 2-core AMD EPYC with AVX-512: a 1600x768x3072 SGEMM 134 GFLOP/s generic, 254 on the AVX-512
 * path). The engine loads this library with RTLD_GLOBAL before libtorch, so libtorch's call binds
 * here; the other CPU feature checks of oneMKL stay its own, so it still uses only instructions
 * the CPU has. The engine's kernel check compares the results with float64 before it keeps this.
 *
 * Built by scripts/native/build.sh into src/main/resources/native/linux-x86_64/; no libc needed.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
