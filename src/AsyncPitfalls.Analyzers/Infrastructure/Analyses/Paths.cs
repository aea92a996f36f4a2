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
    private static readonly ConditionalWeakTable<IOperation, ControlFlowGraph?> ByRoot = new();

    private readonly ControlFlowGraph _graph;
    private readonly Dictionary<TextSpan, (int Block, int Order)> _places = new();
    private readonly Dictionary<IAwaitOperation, (int Block, int Order)> _awaits = new();
    private readonly List<int>[] _successors;
    private readonly List<int>[] _normalSuccessors;

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

            // A constant condition (while (true)) takes one way only: the other edge is not a path.
            var constant = block.BranchValue?.ConstantValue is { HasValue: true, Value: bool value } ? value : (bool?)null;
            foreach (var edge in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (edge is null
                    || constant is { } known && block.ConditionalSuccessor is not null
                        && (edge == block.ConditionalSuccessor) != (known == (block.ConditionKind == ControlFlowConditionKind.WhenTrue)))
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

        _normalSuccessors = _successors.Select(list => new List<int>(list)).ToArray();
        AddExceptionEdges(graph.Root);
    }

    /// <summary>The paths of <paramref name="graph"/>, built once.</summary>
    public static Paths Of(ControlFlowGraph graph) => ByGraph.GetValue(graph, g => new Paths(g));

    /// <summary>
    /// The paths of the function that holds <paramref name="operation"/> (its lambda, local function or member body),
    /// from the graph of the operation tree's root, built on first use and cached with the root; null when the root has
    /// no graph (an attribute argument, broken code).
    /// </summary>
    public static Paths? Around(IOperation operation)
    {
        var root = operation.Root();
        var graph = ByRoot.GetValue(root, Create);
        return graph is not null && GraphOf(graph, operation.EnclosingFunction()) is { } functionGraph ? Of(functionGraph) : null;

        static ControlFlowGraph? Create(IOperation root)
        {
            try
            {
                return root switch
                {
                    IMethodBodyOperation body => ControlFlowGraph.Create(body),
                    IConstructorBodyOperation body => ControlFlowGraph.Create(body),
                    IBlockOperation block => ControlFlowGraph.Create(block),
                    IFieldInitializerOperation field => ControlFlowGraph.Create(field),
                    IPropertyInitializerOperation property => ControlFlowGraph.Create(property),
                    IParameterInitializerOperation parameter => ControlFlowGraph.Create(parameter),
                    _ => null,
                };
            }
            catch (System.ArgumentException)
            {
                return null;
            }
        }
    }

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

    /// <summary>
    /// True when every path from the start of the function to <paramref name="later"/> passes through
    /// <paramref name="earlier"/>. An exception is taken to leave a block after its operations, so an await that is the
    /// first thing of a <c>try</c> still comes before whatever follows the <c>try</c>.
    /// </summary>
    public bool Dominates(SyntaxNode earlier, SyntaxNode later)
    {
        if (!_places.TryGetValue(earlier.Span, out var from) || !_places.TryGetValue(later.Span, out var to))
        {
            return false;
        }

        if (from.Block == to.Block)
        {
            return from.Order < to.Order || from.Order == to.Order && (later.Span.Contains(earlier.Span) || later.SpanStart > earlier.SpanStart);
        }

        return !Reaches(0, to.Block, avoiding: from.Block);
    }

    /// <summary>
    /// True when <paramref name="target"/> cannot be reached from the start of the function once the branch ways that
    /// <paramref name="forbidden"/> names are closed: for a branch's condition it gives the value whose way is closed,
    /// or null to leave both open. Closing the ways on which a fact is established (<c>true</c> for
    /// <c>if (t.IsCompleted)</c>) and finding the target unreachable shows that every path to it establishes the fact.
    /// </summary>
    public bool IsUnreachableWithout(SyntaxNode target, System.Func<IOperation, bool?> forbidden)
    {
        if (!_places.TryGetValue(target.Span, out var to))
        {
            return false;
        }

        var seen = new bool[_graph.Blocks.Length];
        var stack = new Stack<int>();
        stack.Push(0);
        while (stack.Count > 0)
        {
            var ordinal = stack.Pop();
            if (seen[ordinal])
            {
                continue;
            }

            seen[ordinal] = true;
            if (ordinal == to.Block)
            {
                return false;
            }

            var block = _graph.Blocks[ordinal];
            var closed = block.BranchValue is { } branch && block.ConditionalSuccessor is not null ? forbidden(branch) : null;
            foreach (var next in _successors[ordinal])
            {
                if (closed is { } value && IsTakenWhen(block, next, value))
                {
                    continue;
                }

                stack.Push(next);
            }
        }

        return true;
    }

    /// <summary>The successor <paramref name="next"/> of a branching block is taken when its condition is <paramref name="value"/>.</summary>
    private static bool IsTakenWhen(BasicBlock block, int next, bool value)
    {
        var jumpsWhen = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
        var conditional = block.ConditionalSuccessor!.Destination?.Ordinal;
        var fallThrough = block.FallThroughSuccessor?.Destination?.Ordinal;
        if (conditional == fallThrough)
        {
            return false;
        }

        return next == conditional ? jumpsWhen == value : next == fallThrough && jumpsWhen != value;
    }

    /// <summary>
    /// True when the loop can end other than by an exception, by a decision it makes: from its body, flow (through its
    /// own catch blocks too, but not along an exception out of it) reaches code outside the loop, or the end of the
    /// function, through a branch of the body (an <c>if (…) break;</c>, a <c>return</c> in a <c>switch</c> case, a retry
    /// that gives up in its catch) or the loop's own condition, unless
    /// <paramref name="ignoringItsCondition"/> (a never-ending iterator's <c>MoveNext</c>). An exit that straight-line
    /// code reaches, such as <c>try { return await SendAsync(token); }</c> in a retry loop, follows the work that
    /// cancellation stops, so it does not count.
    /// </summary>
    public bool CanLeaveNormally(ILoopOperation loop, bool ignoringItsCondition = false)
    {
        var first = loop.Body.DescendantsAndSelf().FirstOrDefault(o => o != loop.Body && _places.ContainsKey(o.Syntax.Span));
        if (first is null)
        {
            return true;
        }

        var span = loop.Syntax.Span;
        var seen = new bool[_graph.Blocks.Length * 2];
        var stack = new Stack<(int Block, bool Decided)>();
        stack.Push((_places[first.Syntax.Span].Block, false));
        while (stack.Count > 0)
        {
            var (ordinal, decided) = stack.Pop();
            if (seen[ordinal * 2 + (decided ? 1 : 0)])
            {
                continue;
            }

            seen[ordinal * 2 + (decided ? 1 : 0)] = true;
            var block = _graph.Blocks[ordinal];
            var isCondition = block.BranchValue is { } condition && !loop.Body.Syntax.Span.Contains(condition.Syntax.Span) && span.Contains(condition.Syntax.Span);
            if (ignoringItsCondition && isCondition)
            {
                continue;
            }

            var outside = block.Kind == BasicBlockKind.Exit
                || block.Operations.Any(o => !o.IsImplicit && !span.Contains(o.Syntax.Span))
                || block.BranchValue is { IsImplicit: false } branch && !span.Contains(branch.Syntax.Span);
            if (outside)
            {
                if (decided)
                {
                    return true;
                }

                continue;
            }

            // Into the loop's own catch blocks too (a retry that gives up after some attempts decides there), but not
            // along an exception out of the loop: that is the exception, not a way to end.
            var decides = decided || block.BranchValue is { ConstantValue.HasValue: false } && block.ConditionalSuccessor is not null;
            foreach (var next in _successors[ordinal])
            {
                if (_normalSuccessors[ordinal].Contains(next) || IsInside(_graph.Blocks[next], span))
                {
                    stack.Push((next, decides));
                }
            }
        }

        return false;
    }

    /// <summary>A block whose code lies in <paramref name="span"/> (an empty block counts as inside).</summary>
    private static bool IsInside(BasicBlock block, TextSpan span)
        => block.Kind != BasicBlockKind.Exit && block.Operations.All(o => span.Contains(o.Syntax.Span)) && (block.BranchValue is null || span.Contains(block.BranchValue.Syntax.Span));

    /// <summary>True when a path of at least one edge leads from block <paramref name="start"/> to block <paramref name="target"/>.</summary>
    private bool Reaches(int start, int target, int avoiding = -1)
    {
        var seen = new bool[_graph.Blocks.Length];
        if (avoiding >= 0)
        {
            seen[avoiding] = true;
            if (start == target)
            {
                return true;
            }
        }

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
