package org.maas.api.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/deployment.md is pasted block by block into one shell, in document order. Every shell variable a
 * ```console, ```sh, ```bash or ```shell block uses must be set by that block or by an earlier one
 * ({@code X=...}, {@code export X=...}, {@code read X}, {@code for X in}), or be one the environment sets.
 * Not uses: {@code $1 $? $@} and the like, text in single quotes, comments, quoted here-documents
 * ({@code <<'EOF'}). In a ```console block only the {@code $ } prompt lines (and their continuations) are commands.
 */
class DeploymentGuideShellTest {

    private static final Path GUIDE = Path.of("docs/deployment.md");

    /** Set by the reader's shell, not by the guide. */
    private static final Set<String> ENVIRONMENT = Set.of("HOME", "PATH", "PWD", "USER");

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```(console|sh|bash|shell)\\s*$");
    private static final Pattern USE = Pattern.compile("\\$(?:\\{([A-Za-z_]\\w*)|([A-Za-z_]\\w*))");
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?:^|[;&|(]|\\bthen\\b|\\bdo\\b)\\s*(?:export\\s+|readonly\\s+|local\\s+)?([A-Za-z_]\\w*)=");
    private static final Pattern FOR = Pattern.compile("\\bfor\\s+([A-Za-z_]\\w*)\\s+in\\b");
    private static final Pattern READ = Pattern.compile("\\bread\\s+(?:-\\w+\\s+)*([A-Za-z_]\\w*)");
    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*(['\"]?)\\\\?([A-Za-z_]\\w*)\\1");

    @Test
    void everyVariableIsSetBeforeItIsUsed() throws IOException {
        assertEquals(List.of(), undefinedVariables(Files.readString(GUIDE)),
                GUIDE + ": variables used before any block sets them");
    }

    @Test
    void theRules() {
        String guide = """
                ```sh
                A=1; export B=2
                for i in 1 2; do echo "$i $A ${B}"; done
                echo '$NOT_A_USE' "$1 $? $@ $HOME" $(date)   # $NOR_THIS
                cat <<'EOF'
                $QUOTED_HEREDOC
                EOF
                cat <<EOF
                $MISSING_IN_HEREDOC
                EOF
                ```
                ```console
                $ read -r C && echo "$C $A"
                $MISSING_IN_OUTPUT
                ```
                ```bash
                echo "$MISSING" \\
                  "$LATER"
                LATER=1
                ```
                """;
        assertEquals(List.of("line 9: $MISSING_IN_HEREDOC", "line 17: $MISSING"), undefinedVariables(guide));
    }

    /** "line N: $X" for every use of a variable that neither its block nor an earlier block sets. */
    static List<String> undefinedVariables(String markdown) {
        Set<String> defined = new HashSet<>(ENVIRONMENT);
        List<String> problems = new ArrayList<>();
        for (List<Line> block : shellBlocks(markdown)) {
            Set<String> own = new HashSet<>();
            for (Line line : block) {
                own.addAll(all(ASSIGNMENT, line.command()));
                own.addAll(all(FOR, line.command()));
                own.addAll(all(READ, line.command()));
            }
            for (Line line : block) {
                Set<String> uses = new LinkedHashSet<>(all(USE, line.command()));
                uses.addAll(all(USE, line.heredoc()));
                for (String use : uses) {
                    if (!defined.contains(use) && !own.contains(use)) {
                        problems.add("line " + line.number() + ": $" + use);
                    }
                }
            }
            defined.addAll(own);
        }
        return problems;
    }

    /** A line of a block: what the shell expands in it, as a command or as here-document text. */
    record Line(int number, String command, String heredoc) {
    }

    /** The shell blocks in document order, each reduced to what the shell would expand. */
    static List<List<Line>> shellBlocks(String markdown) {
        List<List<Line>> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher fence = FENCE.matcher(lines[i]);
            if (!fence.matches()) {
                continue;
            }
            boolean console = fence.group(2).equals("console");
            List<String> text = new ArrayList<>();
            List<Integer> numbers = new ArrayList<>();
            boolean continued = false;
            for (i++; i < lines.length && !lines[i].strip().equals("```"); i++) {
                String line = lines[i].startsWith(fence.group(1)) ? lines[i].substring(fence.group(1).length()) : lines[i];
                if (console && !continued) {
                    if (!line.startsWith("$ ")) {
                        continue; // output
                    }
                    line = line.substring(2);
                }
                continued = console && line.endsWith("\\");
                text.add(line);
                numbers.add(i + 1);
            }
            blocks.add(expandable(text, numbers));
        }
        return blocks;
    }

    /** Drops comments, single-quoted text, escaped characters and quoted here-documents; keeps the rest. */
    private static List<Line> expandable(List<String> lines, List<Integer> numbers) {
        List<Line> result = new ArrayList<>();
        char quote = 0;            // ' or " while inside one, across lines too
        String heredocEnd = null;  // the delimiter while inside a here-document
        boolean heredocExpands = false;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (heredocEnd != null) {
                if (line.strip().equals(heredocEnd)) {
                    heredocEnd = null;
                } else {
                    result.add(new Line(numbers.get(n), "", heredocExpands ? line.replace("\\$", "") : ""));
                }
                continue;
            }
            StringBuilder command = new StringBuilder();
            for (int c = 0; c < line.length(); c++) {
                char ch = line.charAt(c);
                if (quote == '\'') {
                    quote = ch == '\'' ? 0 : quote;
                } else if (ch == '\\') {
                    c++; // an escaped character expands nothing
                } else if (quote == '"') {
                    quote = ch == '"' ? 0 : quote;
                    command.append(ch);
                } else if (ch == '\'' || ch == '"') {
                    quote = ch;
                    command.append(ch == '"' ? ch : ' ');
                } else if (ch == '#' && (c == 0 || Character.isWhitespace(line.charAt(c - 1)))) {
                    break; // a comment
                } else if (ch == '<' && line.startsWith("<<", c) && !line.startsWith("<<<", c)) {
                    Matcher heredoc = HEREDOC.matcher(line).region(c, line.length());
                    if (heredoc.lookingAt()) {
                        heredocEnd = heredoc.group(2);
                        heredocExpands = heredoc.group(1).isEmpty() && line.charAt(heredoc.start(2) - 1) != '\\';
                        c = heredoc.end() - 1;
                    }
                    command.append(' ');
                } else {
                    command.append(ch);
                }
            }
            result.add(new Line(numbers.get(n), command.toString(), ""));
        }
        return result;
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> names = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(matcher.groupCount()));
        }
        return names;
    }
}
