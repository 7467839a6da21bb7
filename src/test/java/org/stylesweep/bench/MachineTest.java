package org.stylesweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bench header's instruction-set line, from /proc/cpuinfo texts of three machine kinds. */
class MachineTest {

  private static String cpuinfo(String family, String model, String flags) {
    return "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: "
        + family
        + "\nmodel\t\t: "
        + model
        + "\nmodel name\t: AMD EPYC\nflags\t\t: "
        + flags
        + "\n\nprocessor\t: 1\nflags\t\t: fpu\n";
  }

  @Test
  void anAvx2MachineSaysItHasNoAvx512() {
    assertThat(Machine.instructionSet(cpuinfo("25", "1", "fpu sse4_2 avx fma avx2 bmi2")))
        .isEqualTo("family 25 model 1; AVX AVX2 FMA; no AVX-512; no AMX; no bf16 in hardware");
  }

  @Test
  void zen4ListsItsAvx512Extensions() {
    assertThat(
            Machine.instructionSet(
                cpuinfo(
                    "25", "17", "avx avx2 fma avx512f avx512bw avx512_bf16 avx512_vnni avx512vl")))
        .isEqualTo(
            "family 25 model 17; AVX AVX2 FMA; AVX-512 (BF16 BW F VL VNNI); no AMX; bf16 in hardware");
  }

  @Test
  void sapphireRapidsShowsAmx() {
    assertThat(
            Machine.instructionSet(
                cpuinfo("6", "143", "avx avx2 fma avx512f amx_bf16 amx_tile amx_int8")))
        .contains("AVX-512 (F)")
        .contains("AMX (BF16 INT8 TILE)")
        .endsWith("; bf16 in hardware");
  }

  @Test
  void noFlagsSaysUnknown() {
    assertThat(Machine.instructionSet("")).startsWith("instruction set unknown");
  }
}
