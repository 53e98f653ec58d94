package io.ingestnotify.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Karaf artifacts as built: feature ingest-notify is the one Karaf bundle; that bundle carries target/lib but the
 * logging jars (pax-logging's slf4j is imported instead) on its Bundle-ClassPath, imports nothing of Camel's or a
 * library's, and states what it needs of the framework (Configuration Admin, slf4j 2, Java 17), so a Karaf without them
 * refuses it at feature:install. The lean jar is a plain jar. KarafIT runs the bundle in a real Karaf.
 */
class KarafFeaturesIT {

    static final Path FEATURES = Path.of("target/feature/features.xml");
    static final Path BUNDLE = Path.of("target/ingest-notify-karaf.jar");
    static final Set<String> LOGGING = Set.of("slf4j-api", "log4j-api", "log4j-core", "log4j-slf4j2-impl");
    static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");

    @Test
    void featureIsTheOneBundle() throws Exception {
        Document doc = parse(FEATURES);
        NodeList features = doc.getElementsByTagName("feature");
        assertThat(features.getLength()).isEqualTo(1);
        Element feature = (Element) features.item(0);
        assertThat(feature.getAttribute("name")).isEqualTo("ingest-notify");
        assertThat(texts(doc, "bundle")).containsExactly("mvn:io.ingestnotify/ingest-notify/" + VERSION + "/jar/karaf");
        assertThat(doc.getElementsByTagName("repository").getLength()).isZero();
    }

    @Test
    void bundleCarriesTheLeanLibButLogging() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (Path jar : LeanLib.jars(Path.of("target/lib"))) {
            String name = jar.getFileName().toString();
            if (LOGGING.stream().noneMatch(l -> name.matches(Pattern.quote(l) + "-[0-9].*"))) {
                expected.add("lib/" + name);
            }
        }
        assertThat(expected).hasSizeGreaterThan(100);
        try (JarFile jar = new JarFile(BUNDLE.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            List<String> classPath = Arrays.asList(main.getValue("Bundle-ClassPath").split(","));
            assertThat(classPath.get(0)).isEqualTo(".");
            assertThat(new TreeSet<>(classPath.subList(1, classPath.size()))).isEqualTo(expected);
            Set<String> embedded = new TreeSet<>();
            jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("lib/") && n.endsWith(".jar")).forEach(embedded::add);
            assertThat(embedded).isEqualTo(expected);
            assertThat(jar.getEntry("io/ingestnotify/karaf/KarafActivator.class")).isNotNull();
            assertThat(jar.getEntry("routes/intake.camel.yaml")).isNotNull();
            assertThat(jar.getEntry("ingest-notify/db/migration/V1__operational_tables.sql")).isNotNull();

            assertThat(main.getValue("Bundle-ManifestVersion")).isEqualTo("2");
            assertThat(main.getValue("Bundle-SymbolicName")).isEqualTo("io.ingestnotify");
            assertThat(main.getValue("Bundle-Activator")).isEqualTo("io.ingestnotify.karaf.KarafActivator");
            assertThat(main.getValue("Require-Capability")).isEqualTo("osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version>=17))\"");
            String imports = main.getValue("Import-Package");
            assertThat(imports).contains("org.osgi.framework;version=\"[1.8,2)\"", "org.osgi.service.cm;version=\"[1.5,2)\"",
                    "org.slf4j;version=\"[2.0,3)\"").doesNotContain("org.apache.camel", "resolution:=optional");
            assertThat(main.getValue("DynamicImport-Package")).isEqualTo("*");
            assertThat(main.getValue("Main-Class")).isNull();
        }
    }

    @Test
    void leanJarIsAPlainJar() throws Exception {
        try (JarFile jar = new JarFile("target/ingest-notify.jar")) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Main-Class")).isEqualTo("io.ingestnotify.Application");
            assertThat(main.keySet()).noneMatch(k -> k.toString().startsWith("Bundle-") || k.toString().endsWith("-Package"));
        }
    }

    private static List<String> texts(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().trim());
        }
        return texts;
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }
}
