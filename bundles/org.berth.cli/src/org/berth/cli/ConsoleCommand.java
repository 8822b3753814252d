package org.berth.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.berth.core.NoSuchContainerException;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "console", description = "Print the console log of a container: what its init wrote.")
final class ConsoleCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The container.")
    String name;

    ConsoleCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws NoSuchContainerException {
        LocalEngine engine = ctx.engine();
        engine.get(name).orElseThrow(() -> new NoSuchContainerException("console", name));
        Path log = engine.consoleLog(name);
        String noLog = "\"" + name + "\" has no console log yet; it is written when the container starts";
        if (log == null) {
            ctx.error(noLog);
            return Context.FAILURE;
        }
        try {
            ctx.out.flush();
            Files.copy(log, ctx.out);
            ctx.out.flush();
            return 0;
        } catch (NoSuchFileException e) {
            ctx.error(noLog);
        } catch (AccessDeniedException e) {
            ctx.error("cannot read the console log of \"" + name + "\" (" + log + "): permission denied; this needs"
                    + " root");
        } catch (IOException e) {
            ctx.error("cannot read the console log of \"" + name + "\" (" + log + "): " + e.getMessage());
        }
        return Context.FAILURE;
    }
}
