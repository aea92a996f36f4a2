using System.Linq;
using System.Threading;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace AsyncPitfalls.CodeFixes;

public sealed partial class ASYNC001UnawaitedTaskCodeFix
{
    /// <summary>
    /// The fix for a task dropped in a synchronous loop body (<see cref="DropEvidence.LoopBody"/>): the loop itself
    /// becomes asynchronous, so each item's work is awaited before the loop ends.
    /// <c>list.ForEach(x =&gt; F(x))</c> and <c>Array.ForEach(a, x =&gt; F(x))</c> become <c>foreach (var x in list) { await F(x); }</c>;
    /// <c>Parallel.ForEach(s, x =&gt; F(x))</c> becomes <c>await Parallel.ForEachAsync(s, async (x, _) =&gt; await F(x))</c>
    /// and <c>Parallel.For</c> becomes <c>Parallel.ForAsync</c> where the target framework has them. Every awaitable
    /// dropped in the body is awaited. The plan is only made when the enclosing function can await and the result
    /// compiles with no new diagnostic.
    /// </summary>
    private sealed class AsyncLoop
    {
        private AsyncLoop(ExpressionStatementSyntax statement, StatementSyntax replacement, AsyncConversion conversion)
        {
            Statement = statement;
            Replacement = replacement;
            Conversion = conversion;
        }

        /// <summary>The <c>ForEach</c>/<c>For</c> call statement that is replaced.</summary>
        public ExpressionStatementSyntax Statement { get; }

        public StatementSyntax Replacement { get; }

        public AsyncConversion Conversion { get; }

        /// <summary>The plan for one diagnostic; <paramref name="configure"/> says whether inserted awaits use <c>ConfigureAwait(false)</c>.</summary>
        public static AsyncLoop? Create(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, bool configure, CancellationToken cancellationToken)
        {
            var lambda = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
                .AncestorsAndSelf().OfType<AnonymousFunctionExpressionSyntax>().FirstOrDefault();
            if (lambda is null || lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword) || SingleParameter(lambda) is not { } parameter
                || lambda.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } arguments }
                || invocation.Parent is not ExpressionStatementSyntax statement
                || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol loop
                || arguments.Arguments.Last() != lambda.Parent
                || arguments.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            {
                return null;
            }

            var symbols = CompilationFacts.Of(model.Compilation).Symbols;
            var replacement = loop switch
            {
                { Name: "ForEach", IsStatic: false } when AsyncSymbols.IsDefinedIn(loop, symbols.ListOfT) && invocation.Expression is MemberAccessExpressionSyntax member
                    => ForEachStatement(member.Expression, parameter, lambda, model, symbols, configure, cancellationToken),
                { Name: "ForEach", IsStatic: true, ContainingType.SpecialType: SpecialType.System_Array } when arguments.Arguments.Count == 2
                    => ForEachStatement(arguments.Arguments[0].Expression, parameter, lambda, model, symbols, configure, cancellationToken),
                { Name: "ForEach" or "For" } when SymbolEqualityComparer.Default.Equals(loop.ContainingType, symbols.Parallel)
                    => ParallelStatement(invocation, loop, parameter, lambda, model, symbols, configure, cancellationToken),
                _ => null,
            };
            if (replacement is null || AsyncConversion.Plan(statement, model, cancellationToken) is not { } conversion)
            {
                return null;
            }

            return new AsyncLoop(statement, replacement.WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation), conversion);
        }

        private static ParameterSyntax? SingleParameter(AnonymousFunctionExpressionSyntax lambda)
            => lambda switch
            {
                SimpleLambdaExpressionSyntax simple => simple.Parameter,
                ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0],
                _ => null,
            };

        /// <summary><c>foreach (var x in source) { ...awaited body... }</c>; null when the body returns early, which <c>foreach</c> cannot express.</summary>
        private static StatementSyntax? ForEachStatement(
            ExpressionSyntax source, ParameterSyntax parameter, AnonymousFunctionExpressionSyntax lambda, SemanticModel model, AsyncSymbols symbols, bool configure, CancellationToken cancellationToken)
        {
            if (lambda.Block is { } block && OwnNodes(block).Any(n => n is ReturnStatementSyntax))
            {
                return null;
            }

            var body = AwaitedBody(lambda, model, symbols, configure, cancellationToken);
            var statementBody = body as BlockSyntax ?? SyntaxFactory.Block(SyntaxFactory.ExpressionStatement((ExpressionSyntax)body));
            return SyntaxFactory.ForEachStatement(
                parameter.Type?.WithoutTrivia() ?? SyntaxFactory.IdentifierName("var"),
                parameter.Identifier.WithoutTrivia(),
                source.WithoutTrivia(),
                statementBody);
        }

        /// <summary><c>await Parallel.ForEachAsync(source, async (x, _) =&gt; ...)</c> or <c>Parallel.ForAsync(from, to, ...)</c>, when the framework has it.</summary>
        private static StatementSyntax? ParallelStatement(
            InvocationExpressionSyntax invocation, IMethodSymbol loop, ParameterSyntax parameter, AnonymousFunctionExpressionSyntax lambda,
            SemanticModel model, AsyncSymbols symbols, bool configure, CancellationToken cancellationToken)
        {
            // Only the overloads without ParallelOptions: the body is the last argument, after the source or the range.
            var asyncName = loop.Name + "Async";
            var expectedArguments = loop.Name == "For" ? 3 : 2;
            if (loop.Parameters.Length != expectedArguments || symbols.Parallel!.GetMembers(asyncName).IsEmpty
                || loop.Name == "ForEach" && loop.Parameters[0].Type is not INamedTypeSymbol { IsGenericType: true })
            {
                return null;
            }

            var token = model.LookupSymbols(lambda.SpanStart, name: "cancellationToken").IsEmpty ? "cancellationToken" : "_";
            var body = AwaitedBody(lambda, model, symbols, configure, cancellationToken);
            var asyncLambda = SyntaxFactory.ParenthesizedLambdaExpression(
                SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Parameter(parameter.Identifier.WithoutTrivia()),
                    SyntaxFactory.Parameter(SyntaxFactory.Identifier(token)),
                })),
                body as BlockSyntax,
                body as ExpressionSyntax).WithAsyncKeyword(SyntaxFactory.Token(SyntaxKind.AsyncKeyword));
            var callee = ((MemberAccessExpressionSyntax)invocation.Expression).WithName(SyntaxFactory.IdentifierName(asyncName));
            var arguments = invocation.ArgumentList.Arguments;
            var call = invocation
                .WithExpression(callee)
                .WithArgumentList(invocation.ArgumentList.WithArguments(arguments.Replace(arguments.Last(), arguments.Last().WithExpression(asyncLambda))));
            return SyntaxFactory.ExpressionStatement(AwaitStyle.Await(call, configure, symbols.Task, symbols));
        }

        /// <summary>The lambda's body with every awaitable it drops (as a statement, or as its expression body) awaited.</summary>
        private static CSharpSyntaxNode AwaitedBody(AnonymousFunctionExpressionSyntax lambda, SemanticModel model, AsyncSymbols symbols, bool configure, CancellationToken cancellationToken)
        {
            AwaitExpressionSyntax Await(ExpressionSyntax expression) => AwaitStyle.Await(expression, configure, model.GetTypeInfo(expression, cancellationToken).Type, symbols);
            if (lambda.ExpressionBody is { } expression)
            {
                return IsAwaitable(expression, model, symbols, cancellationToken) ? Await(expression) : expression.WithoutTrivia();
            }

            var block = lambda.Block!;
            var drops = OwnNodes(block).OfType<ExpressionStatementSyntax>()
                .Select(s => s.Expression)
                .Where(e => IsAwaitable(e, model, symbols, cancellationToken))
                .ToList();
            return block.ReplaceNodes(drops, (original, _) => Await(original).WithTriviaFrom(original)).WithoutTrivia();
        }

        private static bool IsAwaitable(ExpressionSyntax expression, SemanticModel model, AsyncSymbols symbols, CancellationToken cancellationToken)
            => model.GetTypeInfo(expression, cancellationToken).Type is { SpecialType: SpecialType.None } type
                && symbols.IsAwaitable(type, model, expression.SpanStart);

        /// <summary>The nodes of a lambda body, not descending into the functions nested in it.</summary>
        private static System.Collections.Generic.IEnumerable<SyntaxNode> OwnNodes(BlockSyntax block)
            => block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax));
    }
}
