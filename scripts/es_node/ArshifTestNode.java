/*
 * A single Elasticsearch node in one JVM, for Arshif's tests (started by scripts/es_node.py).
 *
 * The Elasticsearch server and its HTTP module come from Maven Central as jars; the official
 * distribution's launcher (bin/elasticsearch, server-cli) is not published there, and its
 * bootstrap insists on the entitlement agent, which is not published either. So this class does
 * what the bootstrap does for a node and nothing more: configure logging, read config/
 * elasticsearch.yml, load the modules under modules/, build the Node, start it, and close it
 * cleanly on SIGTERM. The node is the real one: the same REST layer, search and indexing code.
 *
 * Usage (server jars on the module path): java -p HOME/lib --add-modules ALL-MODULE-PATH
 *     ArshifTestNode.java HOME
 */

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginBundle;
import org.elasticsearch.plugins.PluginsLoader;

public class ArshifTestNode {

    public static void main(String[] args) throws Exception {
        // The logging provider must be in place before the first Elasticsearch class logs.
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureESLogging();

        Path home = Path.of(args[0]).toAbsolutePath();
        Path config = home.resolve("config");
        Settings settings = Settings.builder()
            .loadFromPath(config.resolve("elasticsearch.yml"))
            .put("path.home", home.toString())
            .build();
        Environment environment = new Environment(settings, config);
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(settings));
        LogConfigurator.configure(environment, true);

        PluginsLoader plugins = PluginsLoader.createPluginsLoader(modules(environment.modulesDir()), Set.of(), Map.of());
        Node node = new Node(environment, plugins);

        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                if (node.awaitClose(20, TimeUnit.SECONDS) == false) {
                    System.err.println("the node did not close within 20 s");
                }
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "arshif-test-node-shutdown"));

        node.start();
        closed.await();
    }

    /** The module bundles: `loadModulesBundles(Path)` in 8.x, `loadModulesBundles(Path, boolean)` in 9.x. */
    @SuppressWarnings("unchecked")
    private static Set<PluginBundle> modules(Path dir) throws Exception {
        for (Method method : PluginsLoader.class.getMethods()) {
            if (method.getName().equals("loadModulesBundles")) {
                Object bundles = method.getParameterCount() == 1 ? method.invoke(null, dir) : method.invoke(null, dir, false);
                return (Set<PluginBundle>) bundles;
            }
        }
        throw new IllegalStateException("this Elasticsearch has no PluginsLoader.loadModulesBundles");
    }
}
