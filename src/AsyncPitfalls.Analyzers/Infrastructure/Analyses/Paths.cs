using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The shared "what can run after what" analysis, on Roslyn's control-flow graph of one function body (a member, a
/// lambda or a local function): whether one place can run after another on some path. The graph's operations are
/// copies of the tree's, so places are found by their syntax. The paths an exception takes are added to the graph's
/// own edges: from a <c>try</c> block into its <c>catch</c> and <c>finally</c>, and out of a <c>finally</c> to where the
/// code it guards goes next. One index per graph, built on first use and cached with the graph.
/// </summary>
internal sealed class Paths
{
    private static readonly ConditionalWeakTable<ControlFlowGraph, Paths> ByGraph = new();

    private readonly ControlFlowGraph _graph;
    private readonly Dictionary<TextSpan, (int Block, int Order)> _places = new();
    private readonly Dictionary<IAwaitOperation, (int Block, int Order)> _awaits = new();
    private readonly List<int>[] _successors;

    private Paths(ControlFlowGraph graph)
    {
        _graph = graph;
        _successors = new List<int>[graph.Blocks.Length];
        for (var i = 0; i < graph.Blocks.Length; i++)
        {
            _successors[i] = new List<int>();
        }

        foreach (var block in graph.Blocks)
        {
            var order = 0;
            foreach (var operation in block.Operations)
            {
                Index(operation, block.Ordinal, order++);
            }

            if (block.BranchValue is { } branch)
            {
                Index(branch, block.Ordinal, order);
            }

            foreach (var edge in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (edge is null)
                {
                    continue;
                }

                if (edge.Destination is { } destination)
                {
                    _successors[block.Ordinal].Add(destination.Ordinal);
                }

                // Leaving through finally regions: into each finally, and from each finally on to the destination.
                foreach (var region in edge.FinallyRegions)
                {
                    _successors[block.Ordinal].Add(region.FirstBlockOrdinal);
                    if (edge.Destination is { } after)
                    {
                        _successors[region.LastBlockOrdinal].Add(after.Ordinal);
                    }
                }
            }
        }

        AddExceptionEdges(graph.Root);
    }

    /// <summary>The paths of <paramref name="graph"/>, built once.</summary>
    public static Paths Of(ControlFlowGraph graph) => ByGraph.GetValue(graph, g => new Paths(g));

    /// <summary>
    /// The graph of the function <paramref name="function"/> (a lambda or local function of the body whose graph is
    /// <paramref name="bodyGraph"/>), or <paramref name="bodyGraph"/> itself when <paramref name="function"/> is null.
    /// </summary>
    public static ControlFlowGraph? GraphOf(ControlFlowGraph bodyGraph, IOperation? function)
        => function switch
        {
            null => bodyGraph,
            ILocalFunctionOperation localFunction => Find(bodyGraph, g => g.LocalFunctions.Contains(localFunction.Symbol, SymbolEqualityComparer.Default) ? g.GetLocalFunctionControlFlowGraph(localFunction.Symbol) : null),
            IAnonymousFunctionOperation lambda => Find(bodyGraph, g => FlowLambda(g, lambda.Symbol) is { } flow ? g.GetAnonymousFunctionControlFlowGraph(flow) : null),
            _ => null,
        };

    /// <summary>
    /// The awaits of the function, in the graph's blocks: the written ones and those the compiler adds for
    /// <c>await foreach</c> and <c>await using</c>. Nested lambdas and local functions have graphs of their own.
    /// </summary>
    public IEnumerable<IAwaitOperation> Awaits => _awaits.Keys;

    /// <summary>True when the graph has the place of <paramref name="syntax"/>.</summary>
    public bool Contains(SyntaxNode syntax) => _places.ContainsKey(syntax.Span);

    /// <summary>
    /// True when <paramref name="later"/> can run after <paramref name="earlier"/> on some path: later in the same
    /// block, in a block reachable from it, or again in the same block around a loop. Within one statement, an
    /// expression nested in another runs first (<c>e.Cancel = await x</c> stores after the await).
    /// </summary>
    public bool CanRunAfter(SyntaxNode earlier, SyntaxNode later)
        => _places.TryGetValue(earlier.Span, out var from) && CanRunAfter(from, earlier.Span, later);

    /// <summary>True when <paramref name="later"/> can run after <paramref name="awaitOperation"/>, one of <see cref="Awaits"/>.</summary>
    public bool CanRunAfter(IAwaitOperation awaitOperation, SyntaxNode later)
        => _awaits.TryGetValue(awaitOperation, out var from) && CanRunAfter(from, awaitOperation.Syntax.Span, later);

    private bool CanRunAfter((int Block, int Order) from, TextSpan earlier, SyntaxNode later)
    {
        if (!_places.TryGetValue(later.Span, out var to))
        {
            return false;
        }

        var laterInTheSameBlock = from.Block == to.Block
            && (to.Order > from.Order || to.Order == from.Order && (later.Span.Contains(earlier) || later.SpanStart > earlier.Start));
        return laterInTheSameBlock || Reaches(from.Block, to.Block);
    }

    /// <summary>True when a path of at least one edge leads from block <paramref name="start"/> to block <paramref name="target"/>.</summary>
    private bool Reaches(int start, int target)
    {
        var seen = new bool[_graph.Blocks.Length];
        var stack = new Stack<int>(_successors[start]);
        while (stack.Count > 0)
        {
            var block = stack.Pop();
            if (block == target)
            {
                return true;
            }

            if (seen[block])
            {
                continue;
            }

            seen[block] = true;
            foreach (var next in _successors[block])
            {
                stack.Push(next);
            }
        }

        return false;
    }

    /// <summary>Every operation of a block, nested ones included, by its syntax; the first place of a syntax wins.</summary>
    private void Index(IOperation root, int block, int order)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is IAwaitOperation awaitOperation)
            {
                _awaits[awaitOperation] = (block, order);
            }

            if (!operation.IsImplicit || operation is IAwaitOperation)
            {
                var span = operation.Syntax.Span;
                if (!_places.ContainsKey(span))
                {
                    _places[span] = (block, order);
                }
            }
        }
    }

    /// <summary>An exception in a <c>try</c> block can go to any of its <c>catch</c> (and filter) and <c>finally</c> blocks.</summary>
    private void AddExceptionEdges(ControlFlowRegion region)
    {
        if (region.Kind is ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally)
        {
            var tryRegion = region.NestedRegions.FirstOrDefault(r => r.Kind == ControlFlowRegionKind.Try);
            if (tryRegion is not null)
            {
                foreach (var handler in region.NestedRegions.Where(r => r.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler or ControlFlowRegionKind.Filter or ControlFlowRegionKind.Finally))
                {
                    for (var block = tryRegion.FirstBlockOrdinal; block <= tryRegion.LastBlockOrdinal; block++)
                    {
                        _successors[block].Add(handler.FirstBlockOrdinal);
                    }
                }
            }
        }

        foreach (var nested in region.NestedRegions)
        {
            AddExceptionEdges(nested);
        }
    }

    private static ControlFlowGraph? Find(ControlFlowGraph graph, System.Func<ControlFlowGraph, ControlFlowGraph?> pick)
    {
        if (pick(graph) is { } found)
        {
            return found;
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            if (Find(graph.GetLocalFunctionControlFlowGraph(localFunction), pick) is { } inLocal)
            {
                return inLocal;
            }
        }

        foreach (var block in graph.Blocks)
        {
            foreach (var flow in block.Operations.Concat(block.BranchValue is null ? Enumerable.Empty<IOperation>() : new[] { block.BranchValue })
                .SelectMany(o => o.DescendantsAndSelf()).OfType<IFlowAnonymousFunctionOperation>())
            {
                if (Find(graph.GetAnonymousFunctionControlFlowGraph(flow), pick) is { } inLambda)
                {
                    return inLambda;
                }
            }
        }

        return null;
    }

    private static IFlowAnonymousFunctionOperation? FlowLambda(ControlFlowGraph graph, IMethodSymbol lambda)
        => graph.Blocks.SelectMany(b => b.Operations.Concat(b.BranchValue is null ? Enumerable.Empty<IOperation>() : new[] { b.BranchValue }))
            .SelectMany(o => o.DescendantsAndSelf()).OfType<IFlowAnonymousFunctionOperation>()
            .FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.Symbol, lambda));
}
