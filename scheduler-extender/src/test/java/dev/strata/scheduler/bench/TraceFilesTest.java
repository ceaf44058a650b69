package dev.strata.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.PodRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFilesTest {

  @TempDir Path dir;

  @Test
  void gpuSpecsKeepTheWrittenOrderAndRepeatsWhilePodsGetTheModelSet() throws Exception {
    Path file = dir.resolve("pods.csv");
    Files.writeString(
        file,
        """
        name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos
        a,4000,1024,1,500,V100M32|V100M16|V100M16,LS
        b,4000,1024,1,1000,|T4|,LS
        c,8000,1024,0,0,T4,LS
        d,4000,1024,2,1000,,LS
        """);

    List<PodRequest> pods = TraceFiles.readPods(file);

    assertThat(pods.get(0).allowedGpuModels()).containsExactlyInAnyOrder("V100M16", "V100M32");
    assertThat(TraceFiles.readGpuSpecs(file))
        .containsOnlyKeys("a", "b")
        .containsEntry("a", "V100M32|V100M16|V100M16")
        .containsEntry("b", "T4");
  }
}
