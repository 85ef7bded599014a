package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void distanceCountsEditsAndSwaps() {
        assertEquals(0, Suggestions.distance("lr", "lr"));
        assertEquals(1, Suggestions.distance("epocs", "epochs"));
        assertEquals(1, Suggestions.distance("trian", "train"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
        assertEquals(3, Suggestions.distance("", "abc"));
    }

    @Test
    void nearestOnlyWhenCloseEnough() {
        List<String> keys = List.of("epochs", "lr", "batch_size", "optimizer");
        assertEquals(Optional.of("epochs"), Suggestions.nearest("epocs", keys));
        assertEquals(Optional.of("batch_size"), Suggestions.nearest("batchsize", keys));
        assertEquals(Optional.of("lr"), Suggestions.nearest("LR", keys));
        assertEquals(Optional.empty(), Suggestions.nearest("momentum", keys));
        assertEquals(Optional.empty(), Suggestions.nearest("x", List.of()));
    }

    @Test
    void hintFormat() {
        assertEquals("; did you mean 'adam'?", Suggestions.hint("adma", List.of("sgd", "adam")));
        assertEquals("", Suggestions.hint("zzzz", List.of("sgd", "adam")));
    }
}
