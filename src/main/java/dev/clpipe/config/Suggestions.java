package dev.clpipe.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" by edit distance. */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate closest to {@code word}, if it is close enough: at most one edit for short
     * words, up to a third of the word's length (max 3) for longer ones. Ties go to the first candidate.
     */
    public static Optional<String> nearest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(3, w.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance && !c.equals(word)) {
                best = c;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code "; did you mean 'x'?"} or the empty string. */
    public static String hint(String word, Collection<String> candidates) {
        return nearest(word, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /**
     * Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
     * letters as one edit each (optimal string alignment), so {@code trian} is one edit from {@code train}.
     */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
