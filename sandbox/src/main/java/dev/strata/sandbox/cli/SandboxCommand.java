package dev.strata.sandbox.cli;

import dev.strata.sandbox.SandboxParts;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code strata-sandbox}: the whole platform on embedded API servers. */
@Command(
    name = "strata-sandbox",
    version = SandboxCommand.VERSION,
    mixinStandardHelpOptions = true,
    description = "Runs Strata on embedded API servers: tenant clusters, a GPU compute cluster.",
    subcommands = {CommandLine.HelpCommand.class})
public final class SandboxCommand implements Runnable {
  static final String VERSION = "strata-sandbox 0.1.0-SNAPSHOT";

  @Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(
        commandLine(SandboxParts.defaults(), new CountDownLatch(1), System.out).execute(args));
  }

  /** The command with its subcommands, built on the given parts. */
  public static CommandLine commandLine(
      SandboxParts parts, CountDownLatch stopUp, PrintStream out) {
    return new CommandLine(new SandboxCommand())
        .addSubcommand(new DemoCommand(parts))
        .addSubcommand(new UpCommand(parts, stopUp, out));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: demo or up");
  }
}
