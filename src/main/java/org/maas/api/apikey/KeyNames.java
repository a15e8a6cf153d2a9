package org.maas.api.apikey;

import java.text.Normalizer;
import org.maas.api.audit.Audit;
import org.maas.api.error.ApiException;
import org.maas.api.audit.Audit;

/**
 * A key name is what a person reads in a list: NFC-normalized (so {@code café} typed either way is one name),
 * without leading or trailing spaces (so {@code dup} and {@code dup } are one name), and made of characters
 * that show. Control and format characters (NUL, C1, the bidirectional overrides that reorder what a reader
 * sees, zero-width characters), lone surrogates and names of nothing but spaces are refused with a 400 that
 * names the character and its position.
 */
final class KeyNames {

    private KeyNames() {
    }

    /**
     * @param field the body field, for the message
     * @return the name as stored and compared
     */
    static String normalize(String field, String name) {
        int position = 1;
        for (int i = 0; i < name.length(); position++) {
            int c = name.codePointAt(i);
            if (Character.isSurrogate((char) c)) {
                throw refuse(field, c, position, "a lone surrogate (half of a UTF-16 pair)");
            }
            if (Audit.hidden(c)) {
                throw refuse(field, c, position, "a control or format character, which does not show or reorders"
                        + " what is shown");
            }
            i += Character.charCount(c);
        }
        String normal = strip(Normalizer.normalize(name, Normalizer.Form.NFC));
        if (normal.isEmpty()) {
            throw ApiException.badRequest(field + ": required, 1 to " + ApiKeyService.MAX_NAME + " characters that show"
                    + " (not only spaces)");
        }
        return normal;
    }

    private static boolean space(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && space(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && space(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    private static ApiException refuse(String field, int c, int position, String what) {
        String name = Character.getName(c);
        return ApiException.badRequest(String.format("%s: character U+%04X%s at position %d (counting from 1) is %s;"
                + " use characters that show", field, c, name == null ? "" : " (" + name + ")", position, what));
    }
}
