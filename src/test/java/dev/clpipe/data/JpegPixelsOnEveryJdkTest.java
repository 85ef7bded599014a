package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Colour management is one choice on every JDK: the embedded ICC profile is ignored (as OpenCV
 * does). The darknet photos that embed a profile decoded on JDK 17 and JDK 25 to pixels that
 * differed by up to 37 levels when ImageIO applied it; now both decoders must give the committed
 * samples (every {@value #STRIDE}th byte, recorded with libjpeg-turbo 2.1.5 on JDK 17) within ±1
 * on any JDK. Run it on JDK 17 and on JDK 25 (JAVA_HOME=... mvn test -Dtest=JpegPixelsOnEveryJdkTest).
 */
@EnabledIfEnvironmentVariable(named = "CLPIPE_DATA", matches = ".+")
class JpegPixelsOnEveryJdkTest {
    static final int STRIDE = 997;
    private static final String[] PHOTOS = {"dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg", "person.jpg", "scream.jpg"};

    @Test
    void photosGiveTheCommittedPixelsOnThisJdk() throws Exception {
        Path darknet = Path.of(System.getenv("CLPIPE_DATA")).resolve("photos/darknet");
        assumeTrue(Files.isDirectory(darknet), "no " + darknet);
        Map<String, String> expected = expected();
        boolean jdk17 = Runtime.version().feature() == 17;
        for (DecoderChoice choice : jdk17 ? new DecoderChoice[] {DecoderChoice.TURBO, DecoderChoice.IMAGEIO}
                : new DecoderChoice[] {DecoderChoice.TURBO}) {
            ImageDecoder decoder = new ImageDecoder(ImageDecoder.Options.defaults().withDecoder(choice));
            for (String name : PHOTOS) {
                byte[] bytes = Files.readAllBytes(darknet.resolve(name));
                assertTrue(JpegIccProfile.present(bytes), name + " should embed an ICC profile");
                String got = digest(decoder.decode(bytes, name).image());
                String want = expected.get(name);
                assertNotNull(want, name + " has no committed digest; computed: " + name + " " + got);
                assertWithinOne(want, got, name + " (" + choice + ", Java " + System.getProperty("java.version") + ")");
            }
        }
    }

    /** "W H C hex-samples" for every STRIDE-th byte of the pixels. */
    static String digest(ImageData img) {
        byte[] p = img.pixels();
        byte[] s = new byte[(p.length + STRIDE - 1) / STRIDE];
        for (int i = 0; i < s.length; i++) s[i] = p[i * STRIDE];
        return img.width() + " " + img.height() + " " + img.channels() + " " + HexFormat.of().formatHex(s);
    }

    private static void assertWithinOne(String want, String got, String what) {
        String[] w = want.split(" ");
        String[] g = got.split(" ");
        assertEquals(w[0] + "x" + w[1] + "x" + w[2], g[0] + "x" + g[1] + "x" + g[2], what + ": size");
        byte[] ws = HexFormat.of().parseHex(w[3]);
        byte[] gs = HexFormat.of().parseHex(g[3]);
        int max = 0;
        for (int i = 0; i < ws.length; i++) max = Math.max(max, Math.abs((ws[i] & 0xFF) - (gs[i] & 0xFF)));
        assertTrue(max <= 1, what + ": samples differ from the committed ones by up to " + max + " levels");
    }

    private static Map<String, String> expected() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = JpegPixelsOnEveryJdkTest.class.getResourceAsStream("jpeg-photos-expected.txt")) {
            assertNotNull(in, "jpeg-photos-expected.txt missing");
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                int sp = line.indexOf(' ');
                out.put(line.substring(0, sp), line.substring(sp + 1).trim());
            }
        }
        return out;
    }
}
