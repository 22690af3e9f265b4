// The OWL API's checks on one ontology document, run as a Java single-file source against the
// HermiT.jar that owlready2 bundles (OWL API 3.4.3 and HermiT 1.3.8):
//
//   java -cp HermiT.jar OwlCheck.java profiles FILE.owl
//   java -cp HermiT.jar OwlCheck.java reason FILE.owl
//
// "profiles" prints one line per violation of the OWL 2 DL and OWL 2 RL profiles:
//   violation <TAB> DL|RL <TAB> violation class <TAB> text
// then "count <TAB> DL <TAB> n" and "count <TAB> RL <TAB> n".
// "reason" prints "consistent <TAB> true|false" and, when consistent, one
// "unsatisfiable <TAB> IRI" line per unsatisfiable named class (owl:Nothing left out).
//
// The document is parsed in its own format (RDF/XML is safest: the OWL API's Turtle parser
// rejects escaped local names). Imports are never fetched: a test must not reach the network,
// so the caller merges what it needs into the one document.
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWL2RLProfile;
import org.semanticweb.owlapi.profiles.OWLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlCheck {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OwlCheck profiles|reason FILE");
            System.exit(2);
        }
        OWLOntology ontology = load(new File(args[1]));
        if (args[0].equals("profiles")) {
            profiles(ontology);
        } else if (args[0].equals("reason")) {
            reason(ontology);
        } else {
            System.err.println("unknown mode " + args[0]);
            System.exit(2);
        }
    }

    static OWLOntology load(File file) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        return manager.loadOntologyFromOntologyDocument(new FileDocumentSource(file), config);
    }

    static void profiles(OWLOntology ontology) {
        check("DL", new OWL2DLProfile(), ontology);
        check("RL", new OWL2RLProfile(), ontology);
    }

    static void check(String name, OWLProfile profile, OWLOntology ontology) {
        List<OWLProfileViolation> violations = profile.checkOntology(ontology).getViolations();
        for (OWLProfileViolation violation : violations) {
            String text = violation.toString().replace('\n', ' ').replace('\t', ' ');
            System.out.println("violation\t" + name + "\t"
                + violation.getClass().getSimpleName() + "\t" + text);
        }
        System.out.println("count\t" + name + "\t" + violations.size());
    }

    static void reason(OWLOntology ontology) {
        // The data carries xsd:gYear and xsd:date literals, which are not in the OWL 2 datatype
        // map; HermiT refuses them unless told to treat them as opaque values. They take no part
        // in any axiom of the ontology (the shapes check them), so nothing is lost.
        Configuration configuration = new Configuration();
        configuration.ignoreUnsupportedDatatypes = true;
        Reasoner reasoner = new Reasoner(configuration, ontology);
        boolean consistent = reasoner.isConsistent();
        System.out.println("consistent\t" + consistent);
        if (!consistent) {
            return;
        }
        List<String> unsatisfiable = new ArrayList<>();
        for (OWLClass cls : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()) {
            unsatisfiable.add(cls.getIRI().toString());
        }
        unsatisfiable.sort(null);
        for (String iri : unsatisfiable) {
            System.out.println("unsatisfiable\t" + iri);
        }
    }
}
