package eddy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A SQL file: `${NAME}` / `${NAME:-default}` placeholders filled in, then split on `;`. */
final class SqlScript {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private SqlScript() {}

    /** Names of the placeholders the text uses (with or without a default). */
    static TreeSet<String> placeholders(String text) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Replaces every placeholder; one with neither a value nor a default is an error. */
    static String substitute(String text, Map<String, String> vars) {
        TreeSet<String> missing = new TreeSet<>();
        String out = PLACEHOLDER.matcher(text).replaceAll(m -> {
            String value = vars.get(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                missing.add(m.group(1));
                return "";
            }
            return Matcher.quoteReplacement(value);
        });
        if (!missing.isEmpty()) {
            throw new FlinkSqlRunner.UsageError("no value for " + missing + " in the SQL (pass --var NAME=VALUE)");
        }
        return out;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    /**
     * Splits on `;` outside string literals ('...'), quoted identifiers (`...`, "...")
     * and comments (-- to end of line, /* ... *&#47;). Comments are dropped; empty
     * statements are skipped.
     */
    static List<String> split(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            char next = i + 1 < n ? text.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                current.append('\n');
            } else if (c == '/' && next == '*') {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 1;
                current.append(' ');
            } else if (c == '\'' || c == '`' || c == '"') {
                // A quoted run; a doubled quote inside is an escaped quote and just
                // closes and reopens, which this loop handles by itself.
                int end = text.indexOf(c, i + 1);
                end = end < 0 ? n - 1 : end;
                current.append(text, i, end + 1);
                i = end;
            } else if (c == ';') {
                add(statements, current);
            } else {
                current.append(c);
            }
        }
        add(statements, current);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }

    /** The statement's first keyword, upper-cased ("" for none). */
    static String keyword(String statement) {
        return statement.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
    }
}
