package lb.control.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lbctl completion}: the script picocli generates, sourced in a real bash, completes lbctl's commands, their
 * verbs and options the way an operator's TAB would.
 */
class CompletionTest {
    @TempDir
    Path dir;

    @Test
    void shouldCompleteCommandsVerbsAndOptionsInBash() throws Exception {
        final CommandLine line = Lbctl.commandLine();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        assertEquals(0, line.execute("completion"));
        final Path script = dir.resolve("lbctl-completion.bash");
        Files.writeString(script, out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(script).contains("complete -F"), "a bash completion script");

        assertEquals("rule", complete(script, "lbctl", "ru"));
        assertTrue(complete(script, "lbctl", "rule", "").contains("drain"), "the rule verbs");
        assertTrue(complete(script, "lbctl", "host", "drainstop", "--").contains("--timeout"), "drainstop's options");
        assertTrue(complete(script, "lbctl", "").contains("completion"), "itself, listed");
    }

    /** What bash's completion offers for the last word, as the shell would compute it on TAB. */
    private static String complete(final Path script, final String... words) throws Exception {
        final StringBuilder array = new StringBuilder();
        for (final String word : words) {
            array.append('\'').append(word).append("' ");
        }
        final String command = "source " + script + "; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1) +
            "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_lbctl lbctl; " +
            "printf '%s\\n' \"${COMPREPLY[@]}\" | sort -u | tr '\\n' ' '";
        final Process bash = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        final String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, bash.waitFor(), output);
        return output;
    }
}
