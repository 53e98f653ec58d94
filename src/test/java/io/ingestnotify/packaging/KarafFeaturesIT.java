package io.ingestnotify.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attached features descriptors, as built: the variant on camel-karaf's features names only features that
 * camel-karaf's descriptor (of the camel-core-osgi version, from Maven Central) defines, and every bundle of feature
 * ingest-notify's Camel comes from one Camel version. KarafIT runs feature ingest-notify in a real Karaf; the variant
 * cannot run here (camel-karaf's bundles are not on Maven Central), so this is what can be checked of it.
 */
class KarafFeaturesIT {

    static final Path OWN = Path.of("target/feature/features.xml");
    static final Path VARIANT = Path.of("target/feature/features-camel-karaf.xml");
    static final Path CAMEL_KARAF = Path.of("target/karaf-dist/camel-karaf-features.xml");

    @Test
    void variantNamesOnlyFeaturesThatExist() throws Exception {
        Set<String> defined = new TreeSet<>(featureNames(CAMEL_KARAF));
        defined.addAll(featureNames(OWN));
        Element variant = (Element) parse(VARIANT).getElementsByTagName("feature").item(0);
        List<String> needed = new ArrayList<>();
        NodeList children = variant.getElementsByTagName("feature");
        for (int i = 0; i < children.getLength(); i++) {
            needed.add(children.item(i).getTextContent().trim());
        }
        assertThat(needed).contains("camel-core", "camel-yaml-dsl", "camel-sql", "camel-mail", "ingest-notify-libs");
        assertThat(defined).containsAll(needed);
        assertThat(texts(parse(VARIANT), "repository")).anyMatch(r -> r.startsWith("mvn:org.apache.camel.karaf/apache-camel/"))
                .anyMatch(r -> r.startsWith("mvn:io.ingestnotify/ingest-notify/") && r.endsWith("/xml/features"));
    }

    @Test
    void ownCamelIsOneVersionWrapped() throws Exception {
        List<String> camel = texts(parse(OWN), "bundle").stream().filter(b -> b.contains("mvn:org.apache.camel/")).toList();
        assertThat(camel).hasSizeGreaterThanOrEqualTo(20).allSatisfy(b -> assertThat(b)
                .startsWith("wrap:mvn:org.apache.camel/").contains("/4.14.1$").contains("Bundle-Version=4.14.1")
                .contains("Export-Package=*;version=4.14.1"));
        assertThat(texts(parse(OWN), "bundle")).contains("mvn:io.ingestnotify/ingest-notify/" + System.getProperty("project.version",
                "0.1.0-SNAPSHOT"));
    }

    private static List<String> featureNames(Path file) throws Exception {
        NodeList features = parse(file).getDocumentElement().getChildNodes();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < features.getLength(); i++) {
            if (features.item(i) instanceof Element e && e.getLocalName().equals("feature")) {
                names.add(e.getAttribute("name"));
            }
        }
        return names;
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
