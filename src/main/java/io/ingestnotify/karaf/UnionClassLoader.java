package io.ingestnotify.karaf;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The context class loader of the app's threads in Karaf: this bundle's loader first, then other bundles' (angus-mail, angus-activation).
 * Jakarta Mail and Activation find their providers (META-INF/services, META-INF/mailcap) through the thread's
 * context class loader, which in OSGi sees one bundle only.
 */
final class UnionClassLoader extends ClassLoader {

    private final List<ClassLoader> others;

    UnionClassLoader(ClassLoader first, List<ClassLoader> others) {
        super(first);
        this.others = others;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader other : others) {
            try {
                return other.loadClass(name);
            } catch (ClassNotFoundException e) {
                // next one
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        for (ClassLoader other : others) {
            URL url = other.getResource(name);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (ClassLoader other : others) {
            urls.addAll(Collections.list(other.getResources(name)));
        }
        return Collections.enumeration(urls);
    }
}
